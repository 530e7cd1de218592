import type { Permission } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import { accountsRepository, type IdentityAccount } from '../adapters/accounts.repository';
import { usersRepository, type StaffRow } from '../adapters/users.repository';
import type { IdentityDeps } from '../deps';
import { permissionsOfProfile } from './permissions-of';

/** `GET /v1/me`: the caller, their account (with its status) and their effective permissions. */
export async function getMe(
  deps: IdentityDeps,
  command: { accountId: string; userId: string },
): Promise<{ user: StaffRow; account: IdentityAccount; permissions: Permission[] }> {
  const user = await usersRepository.staffRow(deps.db.pool, command.accountId, command.userId);
  const account = await accountsRepository.findById(deps.db.pool, command.accountId);
  if (!user || !account) throw new DomainError('auth.unauthenticated');
  const permissions = await permissionsOfProfile(deps.db.pool, command.accountId, user.profileId);
  return { user, account, permissions: [...permissions].sort() };
}
