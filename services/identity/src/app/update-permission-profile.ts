import { identityEvents, isPermission, newEnvelope } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import { isUniqueViolation } from '@crm/platform/pg';
import { profilesRepository, type StoredProfile } from '../adapters/profiles.repository';
import { usersRepository } from '../adapters/users.repository';
import { assertCovers, assertCustom, changedProfileFields, validateProfileChange } from '../domain/permission-profile';
import type { PermissionProfile } from '../domain/user';
import type { IdentityDeps } from '../deps';
import { nameTaken } from './create-permission-profile';
import { announcePermissions, profileSnapshot, userActor } from './events';
import { actorAccess, assertHolds } from './permissions-of';
import { profileNotFound } from './permission-profile-queries';

export interface UpdatePermissionProfile {
  accountId: string;
  actorUserId: string;
  profileId: string;
  name?: string;
  /** When present, replaces the profile's permissions. */
  permissions?: readonly string[];
}

/**
 * `PATCH /v1/permission-profiles/{id}`: rename a custom profile or replace its permissions. The actor must hold every
 * permission the profile grants before and after the change (nobody edits a profile holding permissions they lack).
 * Every holder's new permissions are announced, and count on their next request.
 */
export async function updatePermissionProfile(
  deps: IdentityDeps,
  command: UpdatePermissionProfile,
): Promise<StoredProfile> {
  const change = validateProfileChange(command);
  const { accountId } = command;
  try {
    await deps.db.transaction(async (tx) => {
      const actor = await actorAccess(tx, accountId, command.actorUserId);
      assertHolds(actor, 'profiles.manage');
      const before = await profilesRepository.lock(tx, accountId, command.profileId);
      if (!before) throw profileNotFound(command.profileId);
      assertCustom(before, 'edited');
      const after: PermissionProfile = {
        ...before,
        name: change.name ?? before.name,
        permissions: change.permissions ?? before.permissions,
      };
      // A permission retired from the catalogue grants nothing, so it needs nothing either.
      const touched = [...before.permissions, ...after.permissions].filter(isPermission);
      assertCovers(actor.permissions, touched, `edit the ${before.name} profile`);
      const changedFields = changedProfileFields(before, after);
      if (changedFields.length === 0) return;
      if (changedFields.includes('name') && (await profilesRepository.nameTaken(tx, accountId, after.name, before.id)))
        throw nameTaken(after.name);
      await profilesRepository.update(tx, accountId, after, deps.now());
      const actorEvent = userActor(command.actorUserId);
      await appendToOutbox(
        tx,
        newEnvelope(identityEvents.profileUpdated, {
          accountId,
          actor: actorEvent,
          payload: { accountId, profile: profileSnapshot(after), changedFields },
        }),
      );
      if (changedFields.includes('permissions')) {
        const holders = await usersRepository.lockHoldersOf(tx, accountId, before.id);
        await announcePermissions(
          tx,
          { accountId, actor: actorEvent, users: holders, profile: after },
          'profile_updated',
        );
      }
    });
  } catch (error) {
    if (isUniqueViolation(error, 'permission_profiles_name_per_account')) throw nameTaken(change.name ?? '');
    throw error;
  }
  const stored = await profilesRepository.get(deps.db.pool, accountId, command.profileId);
  if (!stored) throw new DomainError('resource.not_found');
  return stored;
}
