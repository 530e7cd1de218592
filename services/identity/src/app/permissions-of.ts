import type { Permission } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import type { Queryable } from '@crm/platform/pg';
import { profilesRepository } from '../adapters/profiles.repository';
import { effectivePermissions } from '../domain/user';

/** The effective permissions of a profile of the account; a missing profile grants nothing. */
export async function permissionsOfProfile(
  db: Queryable,
  accountId: string,
  profileId: string,
): Promise<Set<Permission>> {
  const profile = await profilesRepository.find(db, accountId, profileId);
  return new Set(profile ? effectivePermissions(profile) : []);
}

/**
 * No escalation (PRODUCT.md §3): nobody grants, or acts on someone who holds, a permission they do not hold
 * themselves. A User may manage other Users, never an Admin.
 */
export function assertCovers(actor: Set<Permission>, target: Set<Permission>, what: string): void {
  const missing = [...target].filter((permission) => !actor.has(permission));
  if (missing.length > 0) {
    throw new DomainError(
      'identity.escalation',
      { missing },
      {
        message: `you cannot ${what}: it needs permissions you do not hold (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})`,
      },
    );
  }
}
