import { adminPermissions, isPermission, userPermissions, type Permission } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';

export type UserStatus = 'invited' | 'active' | 'deactivated' | 'removed';
export type InvitationStatus = 'pending' | 'accepted' | 'expired' | 'revoked';
export type AccountStatus = 'provisioning' | 'active' | 'paused' | 'closing' | 'closed' | 'purged';

export interface User {
  id: string;
  accountId: string;
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  profileId: string;
  status: UserStatus;
  isOwner: boolean;
  createdAt: Date;
  updatedAt: Date;
  activatedAt: Date | null;
}

export interface PermissionProfile {
  id: string;
  name: string;
  builtin: boolean;
  permissions: string[];
}

/** The built-in profiles every account has (PRODUCT.md §3); their permissions follow the catalogue in code. */
export const builtinProfiles = [
  { id: 'admin', name: 'Admin' },
  { id: 'user', name: 'User' },
] as const;
export const ADMIN_PROFILE_ID = 'admin';

export function effectivePermissions(profile: PermissionProfile): Permission[] {
  if (profile.builtin && profile.id === 'admin') return [...adminPermissions];
  if (profile.builtin && profile.id === 'user') return [...userPermissions];
  return profile.permissions.filter(isPermission);
}

export const fullName = (user: Pick<User, 'firstName' | 'lastName'>) => `${user.firstName} ${user.lastName}`.trim();

export type StatusChange = 'deactivate' | 'reactivate' | 'remove';

/**
 * Whether `actor` may apply `change` to `target` (PRODUCT.md §2): never to oneself, never to the owner, never
 * leaving the account without an active Admin. `activeAdmins` counts the active Admins now, target included.
 */
export function checkStatusChange(
  change: StatusChange,
  target: User,
  actorUserId: string,
  activeAdmins: number,
): UserStatus {
  if (change === 'reactivate') {
    if (target.status !== 'deactivated') {
      throw new DomainError(
        'resource.conflict',
        { status: target.status },
        { message: `only a deactivated user can be reactivated; this one is ${target.status}` },
      );
    }
    return 'active';
  }
  if (target.status === 'removed') throw new DomainError('resource.not_found', { userId: target.id });
  if (target.id === actorUserId) {
    throw new DomainError('resource.conflict', undefined, {
      message: `you cannot ${change} yourself; ask another Admin`,
    });
  }
  if (target.isOwner) {
    throw new DomainError(
      'identity.owner_protected',
      { userId: target.id },
      { message: `the account owner cannot be ${change === 'remove' ? 'removed' : 'deactivated'}` },
    );
  }
  if (change === 'deactivate' && target.status !== 'active') {
    throw new DomainError(
      'resource.conflict',
      { status: target.status },
      { message: `only an active user can be deactivated; this one is ${target.status}` },
    );
  }
  if (target.status === 'active' && target.profileId === ADMIN_PROFILE_ID && activeAdmins <= 1) {
    throw new DomainError('identity.last_admin', { userId: target.id });
  }
  return change === 'remove' ? 'removed' : 'deactivated';
}
