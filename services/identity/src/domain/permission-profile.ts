import { isPermission, type Permission } from '@crm/contracts';
import { DomainError, validationError, type FieldError } from '@crm/platform/errors';
import { ADMIN_PROFILE_ID, effectivePermissions, type PermissionProfile } from './user';

export const PROFILE_NAME_MAX = 60;
const CONTROL = /\p{Cc}/u;

/** A profile's name as stored: trimmed, inner runs of whitespace made one space; 1–60 characters, no control characters. */
function profileName(value: string, errors: FieldError[]): string {
  const name = value.trim().replace(/\s+/g, ' ');
  if (name.length < 1 || name.length > PROFILE_NAME_MAX)
    errors.push({ field: 'name', message: `name must be 1 to ${PROFILE_NAME_MAX} characters`, code: 'length' });
  else if (CONTROL.test(name))
    errors.push({ field: 'name', message: 'name must not contain control characters', code: 'invalid_format' });
  return name;
}

/**
 * A requested set of permissions: each one from the catalogue (an unknown one is a field error naming it, so a typo
 * never silently grants nothing), duplicates merged, sorted.
 */
function permissionSet(values: readonly string[], errors: FieldError[]): Permission[] {
  const set = new Set<Permission>();
  values.forEach((value, index) => {
    if (isPermission(value)) set.add(value);
    else
      errors.push({
        field: `permissions.${index}`,
        message: `"${value}" is not a permission (GET /v1/permissions lists them)`,
        code: 'unknown',
      });
  });
  return [...set].sort();
}

/** A new custom profile: a name and, unless given, no permissions at all (least privilege). */
export function validateNewProfile(input: { name: string; permissions: readonly string[] }): {
  name: string;
  permissions: Permission[];
} {
  const errors: FieldError[] = [];
  const name = profileName(input.name, errors);
  const permissions = permissionSet(input.permissions, errors);
  if (errors.length > 0) throw validationError(errors);
  return { name, permissions };
}

/** The fields of a profile update that are present; at least one must be. */
export function validateProfileChange(input: { name?: string; permissions?: readonly string[] }): {
  name?: string;
  permissions?: Permission[];
} {
  const errors: FieldError[] = [];
  const change: { name?: string; permissions?: Permission[] } = {};
  if (input.name !== undefined) change.name = profileName(input.name, errors);
  if (input.permissions !== undefined) change.permissions = permissionSet(input.permissions, errors);
  if (input.name === undefined && input.permissions === undefined)
    errors.push({ field: '(body)', message: 'send name, permissions, or both', code: 'required' });
  if (errors.length > 0) throw validationError(errors);
  return change;
}

/** Built-in profiles (Admin, User) follow the catalogue in code and cannot be renamed, edited or deleted. */
export function assertCustom(profile: PermissionProfile, what: string): void {
  if (profile.builtin)
    throw new DomainError(
      'identity.profile_builtin',
      { profileId: profile.id },
      { message: `the built-in ${profile.name} profile cannot be ${what}; create a custom profile instead` },
    );
}

/**
 * No escalation (PRODUCT.md §3): nobody grants, edits or takes away permissions they do not hold themselves —
 * every permission in `target` must be among the actor's.
 */
export function assertCovers(actor: ReadonlySet<Permission>, target: Iterable<Permission>, what: string): void {
  const missing = [...new Set(target)].filter((permission) => !actor.has(permission)).sort();
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

/** The one holding the built-in Admin profile is the only one who may give it (or a profile with its powers). */
export function assertMayAssign(
  actor: { profileId: string; permissions: ReadonlySet<Permission> },
  profile: PermissionProfile,
  what: string,
): void {
  assertCovers(actor.permissions, effectivePermissions(profile), what);
  if (profile.builtin && profile.id === ADMIN_PROFILE_ID && actor.profileId !== ADMIN_PROFILE_ID)
    throw new DomainError(
      'identity.escalation',
      { profileId: profile.id },
      { message: `you cannot ${what}: only an Admin can make someone an Admin` },
    );
}

/** Which of `name` and `permissions` an update really changes. */
export function changedProfileFields(
  before: Pick<PermissionProfile, 'name' | 'permissions'>,
  after: Pick<PermissionProfile, 'name' | 'permissions'>,
): ('name' | 'permissions')[] {
  const fields: ('name' | 'permissions')[] = [];
  if (before.name !== after.name) fields.push('name');
  const sortedBefore = [...before.permissions].sort();
  const sortedAfter = [...after.permissions].sort();
  if (sortedBefore.length !== sortedAfter.length || sortedBefore.some((value, i) => value !== sortedAfter[i]))
    fields.push('permissions');
  return fields;
}
