import type { Tx } from '@crm/platform/pg';
import { accountsRepository } from '../adapters/accounts.repository';
import type { AccountStatus } from '../domain/user';

/** Keeps identity's copy of the account status (the principal carries it) in step with the account service. */
export async function changeAccountStatus(
  tx: Tx,
  command: { accountId: string; status: AccountStatus },
): Promise<void> {
  await accountsRepository.setStatus(tx, command.accountId, command.status);
}
