import { DomainError } from '@crm/platform/errors';
import type { Tx } from '@crm/platform/pg';
import { usersRepository } from '../adapters/users.repository';
import { assertCovers } from '../domain/permission-profile';
import { isUuid } from '../domain/staff-input';
import type { User } from '../domain/user';
import { actorAccess, permissionsOfProfile, type ActorAccess } from './permissions-of';

/**
 * The user an Admin (or staff manager) acts on, locked, after the no-escalation check: one cannot change someone who
 * holds permissions one lacks. Another account's id, or a removed user, is not found.
 */
export async function lockManagedUser(
  tx: Tx,
  command: { accountId: string; actorUserId: string; userId: string },
  what: string,
): Promise<{ target: User; actor: ActorAccess }> {
  const target = isUuid(command.userId)
    ? await usersRepository.lockById(tx, command.accountId, command.userId)
    : undefined;
  if (!target || target.status === 'removed')
    throw new DomainError(
      'resource.not_found',
      { userId: command.userId },
      { message: 'no such user in this account' },
    );
  const actor = await actorAccess(tx, command.accountId, command.actorUserId);
  assertCovers(actor.permissions, await permissionsOfProfile(tx, command.accountId, target.profileId), what);
  return { target, actor };
}
