import type { Permission } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import type { Queryable } from '@crm/platform/pg';
import { profilesRepository } from '../adapters/profiles.repository';
import { usersRepository } from '../adapters/users.repository';
import { effectivePermissions } from '../domain/user';

/** The effective permissions of a profile of the account; a missing (or deleted) profile grants nothing. */
export async function permissionsOfProfile(
  db: Queryable,
  accountId: string,
  profileId: string,
): Promise<Set<Permission>> {
  const profile = await profilesRepository.find(db, accountId, profileId);
  return new Set(profile ? effectivePermissions(profile) : []);
}

/** Who is acting, for the no-escalation checks: their profile and what it grants (nothing unless they are active). */
export interface ActorAccess {
  profileId: string;
  permissions: Set<Permission>;
}

export async function actorAccess(db: Queryable, accountId: string, actorUserId: string): Promise<ActorAccess> {
  const actor = await usersRepository.findById(db, accountId, actorUserId);
  if (!actor || actor.status !== 'active') return { profileId: '', permissions: new Set() };
  return { profileId: actor.profileId, permissions: await permissionsOfProfile(db, accountId, actor.profileId) };
}

/**
 * The internal API re-checks the permission a use case needs, although the gateway already did: a call that reaches
 * identity some other way is held to the same rule.
 */
export function assertHolds(actor: ActorAccess, permission: Permission): void {
  if (!actor.permissions.has(permission))
    throw new DomainError('auth.forbidden', { permission }, { message: `this needs the ${permission} permission` });
}
