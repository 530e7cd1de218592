import { isPermission, type Permission } from '@crm/contracts';
import { DomainError, validationError } from '@crm/platform/errors';
import { usersRepository } from '../adapters/users.repository';
import { isUuid } from '../domain/staff-input';
import type { IdentityDeps } from '../deps';
import { permissionsOfProfile } from './permissions-of';

export interface PermissionCheck {
  allowed: boolean;
  reason: 'granted' | 'not_granted' | 'user_not_active';
  /** The principal's effective permissions, sorted; none when the user is not active. */
  permissions: Permission[];
}

/**
 * The internal authorization check (PRODUCT.md §3), for any principal of an account, read fresh from the database.
 * An unknown permission is a validation error (a typo must not read as "denied"); a user id of another account is
 * not found; a user who is not active (invited, deactivated, removed) holds nothing.
 */
export async function checkPermission(
  deps: IdentityDeps,
  command: { accountId: string; userId: string; permission: string },
): Promise<PermissionCheck> {
  if (!isPermission(command.permission))
    throw validationError([
      {
        field: 'permission',
        message: `"${command.permission}" is not a permission (GET /v1/permissions lists them)`,
        code: 'unknown',
      },
    ]);
  const user =
    isUuid(command.accountId) && isUuid(command.userId)
      ? await usersRepository.findById(deps.db.pool, command.accountId, command.userId)
      : undefined;
  if (!user)
    throw new DomainError(
      'resource.not_found',
      { userId: command.userId },
      { message: 'no such user in this account' },
    );
  if (user.status !== 'active') return { allowed: false, reason: 'user_not_active', permissions: [] };
  const permissions = await permissionsOfProfile(deps.db.pool, command.accountId, user.profileId);
  const allowed = permissions.has(command.permission);
  return { allowed, reason: allowed ? 'granted' : 'not_granted', permissions: [...permissions].sort() };
}
