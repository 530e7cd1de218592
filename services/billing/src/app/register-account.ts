import type { Tx } from '@crm/platform/pg';
import { appendToOutbox } from '@crm/platform/messaging';
import { isDomainError } from '@crm/platform/errors';
import { billingAccountsRepository } from '../adapters/billing-accounts.repository';
import { subscriptionsRepository } from '../adapters/subscriptions.repository';
import { openSubscription } from '../domain/subscription';
import type { BillingDeps } from '../deps';
import { loadCatalogue } from './catalogue';
import { SYSTEM_ACTOR, subscriptionCreated } from './events';

export interface RegisterBillingAccount {
  accountId: string;
  name: string;
  planId: string;
  interval: 'month' | 'year';
  trialDays: number;
  /** The owner's email until an admin sets a billing email. */
  billingEmail: string;
}

/**
 * Billing learns of a new account (inside the consumer's inbox transaction): it records the account and opens its
 * subscription on the chosen plan with the trial granted (`trialDays` × BILLING_TRIAL_DAY_LENGTH), announced as
 * billing.subscription.created.v1 (which starts the subscription workflow). An unknown plan is logged and leaves
 * the account without a subscription rather than blocking provisioning.
 */
export async function registerAccount(tx: Tx, deps: BillingDeps, command: RegisterBillingAccount): Promise<void> {
  const now = deps.now();
  const created = await billingAccountsRepository.register(tx, {
    ...command,
    billingEmail: command.billingEmail.toLowerCase(),
    registeredAt: now,
  });
  if (!created || (await subscriptionsRepository.find(tx, command.accountId))) return;
  const catalogue = await loadCatalogue(tx);
  let price;
  try {
    price = catalogue.price(command.planId, command.interval);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    deps.logger.error(
      { accountId: command.accountId, planId: command.planId },
      'account provisioned on a plan that is not in the catalogue: no subscription opened',
    );
    return;
  }
  const subscription = openSubscription({
    accountId: command.accountId,
    price,
    trialLength: command.trialDays * deps.settings.trialDayLength,
    now,
  });
  await subscriptionsRepository.insert(tx, subscription);
  await appendToOutbox(tx, subscriptionCreated(subscription, SYSTEM_ACTOR));
}
