import { identityEvents, newEnvelope, type EventActor } from '@crm/contracts';
import { appendToOutbox } from '@crm/platform/messaging';
import type { Queryable } from '@crm/platform/pg';
import { effectivePermissions, type PermissionProfile, type User } from '../domain/user';

/** A user as events carry them (never credentials). */
export const userSnapshot = (user: User) => ({
  userId: user.id,
  email: user.email,
  firstName: user.firstName,
  lastName: user.lastName,
  phone: user.phone,
  profileId: user.profileId,
  status: user.status,
  isOwner: user.isOwner,
});

export const userActor = (userId: string): EventActor => ({ kind: 'user', id: userId });
export const systemActor = (component: string): EventActor => ({ kind: 'system', id: component });

/** A permission profile as events carry it, with its effective permissions (the built-ins' from the catalogue). */
export const profileSnapshot = (profile: PermissionProfile) => ({
  profileId: profile.id,
  name: profile.name,
  builtin: profile.builtin,
  permissions: effectivePermissions(profile).sort(),
});

export type PermissionsChangeReason = 'profile_assigned' | 'profile_updated' | 'profile_deleted';

/**
 * identity.permissions.changed.v1 for each user whose effective permissions changed: the complete new set, so
 * consumers (the gateway's principal cache, other services) can replace or drop what they cached.
 */
export async function announcePermissions(
  tx: Queryable,
  command: { accountId: string; actor: EventActor; users: readonly Pick<User, 'id'>[]; profile: PermissionProfile },
  reason: PermissionsChangeReason,
): Promise<void> {
  const permissions = effectivePermissions(command.profile).sort();
  for (const user of command.users) {
    await appendToOutbox(
      tx,
      newEnvelope(identityEvents.permissionsChanged, {
        accountId: command.accountId,
        actor: command.actor,
        payload: { accountId: command.accountId, userId: user.id, profileId: command.profile.id, permissions, reason },
      }),
    );
  }
}
