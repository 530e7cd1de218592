import { DomainError, validationError } from '@crm/platform/errors';
import { usersRepository, type StaffRow } from '../adapters/users.repository';
import { isUuid } from '../domain/staff-input';
import type { UserStatus } from '../domain/user';
import type { IdentityDeps } from '../deps';

const statuses: readonly UserStatus[] = ['invited', 'active', 'deactivated', 'removed'];

/** The staff list (`GET /v1/staff?status=&q=`), each row with its profile, latest invitation and access flags. */
export async function listStaff(
  deps: IdentityDeps,
  command: { accountId: string; status?: string; query?: string },
): Promise<StaffRow[]> {
  if (command.status && !statuses.includes(command.status as UserStatus)) {
    throw validationError([
      { field: 'status', message: `status must be one of ${statuses.join(', ')}`, code: 'invalid_value' },
    ]);
  }
  return usersRepository.list(deps.db.pool, command.accountId, {
    status: (command.status || undefined) as UserStatus | undefined,
    query: command.query?.trim().slice(0, 100) || undefined,
  });
}

/** One member of the account's staff; another account's user id (or a removed user's) is not found. */
export async function getStaff(deps: IdentityDeps, command: { accountId: string; userId: string }): Promise<StaffRow> {
  const row = isUuid(command.userId)
    ? await usersRepository.staffRow(deps.db.pool, command.accountId, command.userId)
    : undefined;
  if (!row || row.status === 'removed')
    throw new DomainError(
      'resource.not_found',
      { userId: command.userId },
      { message: 'no such user in this account' },
    );
  return row;
}
