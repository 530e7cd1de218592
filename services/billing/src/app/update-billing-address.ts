import { billingAccountsRepository } from '../adapters/billing-accounts.repository';
import { validateBillingAddress, validateBillingEmail, type BillingAddress } from '../domain/billing-address';
import { DomainError } from '@crm/platform/errors';
import type { BillingDeps } from '../deps';

/** Sets the address (and optionally the email) printed on the account's next invoices. */
export async function updateBillingAddress(
  deps: BillingDeps,
  input: { accountId: string; address: BillingAddress; billingEmail: string | undefined },
): Promise<{ address: BillingAddress; billingEmail: string }> {
  const address = validateBillingAddress(input.address);
  const email = input.billingEmail === undefined ? undefined : validateBillingEmail(input.billingEmail);
  return deps.db.transaction(async (tx) => {
    const account = await billingAccountsRepository.lock(tx, input.accountId);
    if (!account)
      throw new DomainError(
        'resource.not_found',
        { accountId: input.accountId },
        { message: 'billing does not know this account' },
      );
    const billingEmail = email ?? account.billingEmail;
    await billingAccountsRepository.setBillingDetails(tx, input.accountId, address, billingEmail);
    return { address, billingEmail };
  });
}
