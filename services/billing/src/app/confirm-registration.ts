import { ApplicationFailure } from '@temporalio/common';
import { billingAccountsRepository } from '../adapters/billing-accounts.repository';
import type { BillingDeps } from '../deps';

/** When billing recorded the account; undefined until it has. */
export const accountRegisteredAt = (deps: BillingDeps, accountId: string) =>
  billingAccountsRepository.registeredAt(deps.db.pool, accountId);

/** For the provisioning workflow: fails retryably until the account.created event has been consumed here. */
export async function confirmRegistration(deps: BillingDeps, input: { accountId: string }): Promise<void> {
  if (!(await accountRegisteredAt(deps, input.accountId))) {
    throw ApplicationFailure.retryable(
      `billing has not recorded account ${input.accountId} yet`,
      'billing.account_not_registered',
    );
  }
}
