import { DomainError } from '@crm/platform/errors';
import { accountsRepository } from '../adapters/accounts.repository';
import type { Account } from '../domain/account';
import type { AccountDeps } from '../deps';

export async function getAccount(deps: AccountDeps, input: { accountId: string }): Promise<Account> {
  const account = await accountsRepository.findById(deps.db.pool, input.accountId);
  if (!account) throw new DomainError('account.not_found', { accountId: input.accountId });
  return account;
}
