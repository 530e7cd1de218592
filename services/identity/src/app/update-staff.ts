import { identityEvents, newEnvelope } from '@crm/contracts';
import { DomainError, validationError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import { profilesRepository } from '../adapters/profiles.repository';
import { usersRepository, type StaffRow } from '../adapters/users.repository';
import { validateUpdate } from '../domain/staff-input';
import { ADMIN_PROFILE_ID, effectivePermissions, type User } from '../domain/user';
import type { IdentityDeps } from '../deps';
import { userActor, userSnapshot } from './events';
import { lockManagedUser } from './managed-user';
import { assertCovers } from './permissions-of';

export interface UpdateStaff {
  accountId: string;
  actorUserId: string;
  userId: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  profileId?: string;
}

/** `PATCH /v1/staff/{id}`: name, phone, permission profile. Takes effect on the user's next request. */
export async function updateStaff(deps: IdentityDeps, command: UpdateStaff): Promise<StaffRow> {
  const fields = validateUpdate(command);
  await deps.db.transaction(async (tx) => {
    const { target, actorPermissions } = await lockManagedUser(tx, command, 'change this user');
    const updated: User = { ...target, ...fields, updatedAt: deps.now() };
    if (command.profileId !== undefined && command.profileId !== target.profileId) {
      const profile = await profilesRepository.find(tx, command.accountId, command.profileId);
      if (!profile)
        throw validationError([
          {
            field: 'profileId',
            message: `no permission profile "${command.profileId}" in this account`,
            code: 'unknown',
          },
        ]);
      assertCovers(actorPermissions, new Set(effectivePermissions(profile)), `give the ${profile.name} profile`);
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
  });
  const row = await usersRepository.staffRow(deps.db.pool, command.accountId, command.userId);
  if (!row) throw new DomainError('resource.not_found');
  return row;
}
