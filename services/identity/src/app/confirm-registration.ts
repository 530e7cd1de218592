import { ApplicationFailure } from '@temporalio/common';
import { accountsRepository } from '../adapters/accounts.repository';
import type { IdentityDeps } from '../deps';

/** When identity recorded the account; undefined until it has. */
export const accountRegisteredAt = (deps: IdentityDeps, accountId: string) =>
  accountsRepository.registeredAt(deps.db.pool, accountId);

/** For the provisioning workflow: fails retryably until the account.created event has been consumed here. */
export async function confirmRegistration(deps: IdentityDeps, input: { accountId: string }): Promise<void> {
  if (!(await accountRegisteredAt(deps, input.accountId))) {
    throw ApplicationFailure.retryable(
      `identity has not recorded account ${input.accountId} yet`,
      'identity.account_not_registered',
    );
  }
}
