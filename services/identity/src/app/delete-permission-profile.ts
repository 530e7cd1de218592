import { identityEvents, isPermission, newEnvelope } from '@crm/contracts';
import { DomainError, validationError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import { profilesRepository } from '../adapters/profiles.repository';
import { usersRepository } from '../adapters/users.repository';
import { assertCovers, assertCustom, assertMayAssign } from '../domain/permission-profile';
import type { User } from '../domain/user';
import type { IdentityDeps } from '../deps';
import { announcePermissions, userActor, userSnapshot } from './events';
import { actorAccess, assertHolds } from './permissions-of';
import { profileNotFound } from './permission-profile-queries';

export interface DeletePermissionProfile {
  accountId: string;
  actorUserId: string;
  profileId: string;
  /** Where its users go; required when anyone (invited, active or deactivated) holds the profile. */
  reassignTo?: string;
}

/**
 * `DELETE /v1/permission-profiles/{id}?reassignTo=`: deletes a custom profile. A profile in use is deleted only with
 * a profile to move its users to (409 identity.profile_in_use otherwise), and only by someone who may both edit the
 * old profile and assign the new one. Removed users keep the deleted profile in their history.
 */
export async function deletePermissionProfile(
  deps: IdentityDeps,
  command: DeletePermissionProfile,
): Promise<{ reassignedUsers: number }> {
  const { accountId } = command;
  const reassignTo = command.reassignTo?.trim() || undefined;
  return deps.db.transaction(async (tx) => {
    const actor = await actorAccess(tx, accountId, command.actorUserId);
    assertHolds(actor, 'profiles.manage');
    const profile = await profilesRepository.lock(tx, accountId, command.profileId);
    if (!profile) throw profileNotFound(command.profileId);
    assertCustom(profile, 'deleted');
    assertCovers(actor.permissions, profile.permissions.filter(isPermission), `delete the ${profile.name} profile`);
    if (reassignTo === profile.id)
      throw validationError([
        {
          field: 'reassignTo',
          message: 'reassignTo must be another profile than the one deleted',
          code: 'invalid_value',
        },
      ]);
    const target = reassignTo ? await profilesRepository.findForAssignment(tx, accountId, reassignTo) : undefined;
    if (reassignTo && !target)
      throw validationError([
        { field: 'reassignTo', message: `no permission profile "${reassignTo}" in this account`, code: 'unknown' },
      ]);
    const holders = await usersRepository.lockHoldersOf(tx, accountId, profile.id);
    if (holders.length > 0 && !target)
      throw new DomainError(
        'identity.profile_in_use',
        { profileId: profile.id, users: holders.length },
        {
          message: `${holders.length} user${holders.length === 1 ? '' : 's'} hold${holders.length === 1 ? 's' : ''} the ${profile.name} profile: pass reassignTo with the profile they should get instead`,
        },
      );
    const actorEvent = userActor(command.actorUserId);
    const now = deps.now();
    if (target && holders.length > 0) {
      assertMayAssign(actor, target, `move its users to the ${target.name} profile`);
      await usersRepository.assignProfile(
        tx,
        accountId,
        holders.map((user) => user.id),
        target.id,
        now,
      );
      for (const holder of holders) {
        const moved: User = { ...holder, profileId: target.id, updatedAt: now };
        await appendToOutbox(
          tx,
          newEnvelope(identityEvents.userUpdated, {
            accountId,
            actor: actorEvent,
            payload: { accountId, user: userSnapshot(moved), changedFields: ['profileId'] },
          }),
        );
      }
      await announcePermissions(
        tx,
        { accountId, actor: actorEvent, users: holders, profile: target },
        'profile_deleted',
      );
    }
    await profilesRepository.markDeleted(tx, accountId, profile.id, now);
    await appendToOutbox(
      tx,
      newEnvelope(identityEvents.profileDeleted, {
        accountId,
        actor: actorEvent,
        payload: {
          accountId,
          profileId: profile.id,
          name: profile.name,
          reassignedTo: holders.length > 0 ? (target?.id ?? '') : '',
          reassignedUsers: holders.length,
        },
      }),
    );
    return { reassignedUsers: holders.length };
  });
}
