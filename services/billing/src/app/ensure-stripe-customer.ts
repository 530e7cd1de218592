import { DomainError } from '@crm/platform/errors';
import { billingAccountsRepository } from '../adapters/billing-accounts.repository';
import type { BillingDeps } from '../deps';

/** The account's Stripe customer, created on first need (under the account's row lock, so only once). */
export async function ensureStripeCustomer(deps: BillingDeps, accountId: string): Promise<string> {
  const known = await billingAccountsRepository.find(deps.db.pool, accountId);
  if (!known)
    throw new DomainError('resource.not_found', { accountId }, { message: 'billing does not know this account' });
  if (known.stripeCustomerId) return known.stripeCustomerId;
  return deps.db.transaction(async (tx) => {
    const account = await billingAccountsRepository.lock(tx, accountId);
    if (!account)
      throw new DomainError('resource.not_found', { accountId }, { message: 'billing does not know this account' });
    if (account.stripeCustomerId) return account.stripeCustomerId;
    const customerId = await deps.payments.createCustomer({
      accountId,
      name: account.billingAddress?.name || account.name,
      email: account.billingEmail,
    });
    await billingAccountsRepository.setStripeCustomer(tx, accountId, customerId);
    return customerId;
  });
}
