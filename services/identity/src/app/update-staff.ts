import { identityEvents, newEnvelope } from '@crm/contracts';
import { DomainError, validationError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import { profilesRepository } from '../adapters/profiles.repository';
import { usersRepository, type StaffRow } from '../adapters/users.repository';
import { assertMayAssign } from '../domain/permission-profile';
import { validateUpdate } from '../domain/staff-input';
import { ADMIN_PROFILE_ID, type PermissionProfile, type User } from '../domain/user';
import type { IdentityDeps } from '../deps';
import { announcePermissions, userActor, userSnapshot } from './events';
import { lockManagedUser } from './managed-user';

export interface UpdateStaff {
  accountId: string;
  actorUserId: string;
  userId: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  profileId?: string;
}

/**
 * `PATCH /v1/staff/{id}`: name, phone, permission profile. Nobody gives a profile holding permissions they lack, and
 * only an Admin makes someone an Admin. A new profile is announced (identity.permissions.changed.v1) and takes
 * effect on the user's next request.
 */
export async function updateStaff(deps: IdentityDeps, command: UpdateStaff): Promise<StaffRow> {
  const fields = validateUpdate(command);
  await deps.db.transaction(async (tx) => {
    const { target, actor } = await lockManagedUser(tx, command, 'change this user');
    const updated: User = { ...target, ...fields, updatedAt: deps.now() };
    let newProfile: PermissionProfile | undefined;
    if (command.profileId !== undefined && command.profileId !== target.profileId) {
      const profile = await profilesRepository.findForAssignment(tx, command.accountId, command.profileId);
      if (!profile)
        throw validationError([
          {
            field: 'profileId',
            message: `no permission profile "${command.profileId}" in this account`,
            code: 'unknown',
          },
        ]);
      assertMayAssign(actor, profile, `give the ${profile.name} profile`);
      if (target.isOwner)
        throw new DomainError('identity.owner_protected', undefined, { message: 'the account owner stays an Admin' });
      if (
        target.status === 'active' &&
        target.profileId === ADMIN_PROFILE_ID &&
        (await usersRepository.lockActiveAdmins(tx, command.accountId)) <= 1
      ) {
        throw new DomainError('identity.last_admin', undefined, {
          message: 'the last active Admin must stay an Admin',
        });
      }
      updated.profileId = profile.id;
      newProfile = profile;
    }
    const changedFields = (['firstName', 'lastName', 'phone', 'profileId'] as const).filter(
      (field) => updated[field] !== target[field],
    );
    if (changedFields.length === 0) return;
    await usersRepository.update(tx, updated);
    await appendToOutbox(
      tx,
      newEnvelope(identityEvents.userUpdated, {
        accountId: command.accountId,
        actor: userActor(command.actorUserId),
        payload: { accountId: command.accountId, user: userSnapshot(updated), changedFields },
      }),
    );
    if (newProfile)
      await announcePermissions(
        tx,
        { accountId: command.accountId, actor: userActor(command.actorUserId), users: [updated], profile: newProfile },
        'profile_assigned',
      );
  });
  const row = await usersRepository.staffRow(deps.db.pool, command.accountId, command.userId);
  if (!row) throw new DomainError('resource.not_found');
  return row;
}
