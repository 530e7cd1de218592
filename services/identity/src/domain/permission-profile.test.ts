import { adminPermissions, userPermissions, type Permission } from '@crm/contracts';
import {
  assertCovers,
  assertCustom,
  assertMayAssign,
  changedProfileFields,
  validateNewProfile,
  validateProfileChange,
} from './permission-profile';
import type { PermissionProfile } from './user';

const failure = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    const { code, message, details, fieldErrors } = error as {
      code?: string;
      message: string;
      details?: Record<string, unknown>;
      fieldErrors?: { field: string; code?: string }[];
    };
    return { code, message, details, fields: fieldErrors?.map((e) => `${e.field}:${e.code}`) };
  }
  return 'allowed';
};

const custom = (permissions: Permission[], overrides: Partial<PermissionProfile> = {}): PermissionProfile => ({
  id: '7d0c4a0e-2f7a-4a59-9b7c-3c4f0f1e2d3a',
  name: 'Virtual assistant',
  builtin: false,
  permissions,
  ...overrides,
});
const admin: PermissionProfile = { id: 'admin', name: 'Admin', builtin: true, permissions: [] };
const user: PermissionProfile = { id: 'user', name: 'User', builtin: true, permissions: [] };

describe('validateNewProfile', () => {
  it('starts a profile empty unless permissions are given, and tidies its name', () => {
    expect(validateNewProfile({ name: '  Front   desk ', permissions: [] })).toEqual({
      name: 'Front desk',
      permissions: [],
    });
  });

  it('merges duplicate permissions and sorts them', () => {
    expect(
      validateNewProfile({
        name: 'VA',
        permissions: ['marketing.view', 'contacts.edit', 'contacts.view', 'contacts.edit'],
      }).permissions,
    ).toEqual(['contacts.edit', 'contacts.view', 'marketing.view']);
  });

  it('names every unknown permission and a bad name in one validation error', () => {
    expect(
      failure(() => validateNewProfile({ name: '   ', permissions: ['contacts.view', 'contacts.delete', 'root'] })),
    ).toMatchObject({
      code: 'validation.failed',
      fields: ['name:length', 'permissions.1:unknown', 'permissions.2:unknown'],
    });
  });

  it('refuses names longer than 60 characters and names with control characters', () => {
    expect(failure(() => validateNewProfile({ name: 'x'.repeat(61), permissions: [] }))).toMatchObject({
      fields: ['name:length'],
    });
    expect(failure(() => validateNewProfile({ name: 'Front\u0000desk', permissions: [] }))).toMatchObject({
      fields: ['name:invalid_format'],
    });
  });
});

describe('validateProfileChange', () => {
  it('keeps only the fields that were sent, and an empty permission list means "none"', () => {
    expect(validateProfileChange({ permissions: [] })).toEqual({ permissions: [] });
    expect(validateProfileChange({ name: 'Sales' })).toEqual({ name: 'Sales' });
  });

  it('refuses an update that changes nothing', () => {
    expect(failure(() => validateProfileChange({}))).toMatchObject({
      code: 'validation.failed',
      fields: ['(body):required'],
    });
  });
});

describe('assertCustom', () => {
  it('refuses to edit or delete the built-in Admin and User profiles', () => {
    expect(failure(() => assertCustom(admin, 'edited'))).toMatchObject({
      code: 'identity.profile_builtin',
      message: 'the built-in Admin profile cannot be edited; create a custom profile instead',
    });
    expect(failure(() => assertCustom(user, 'deleted'))).toMatchObject({ code: 'identity.profile_builtin' });
    expect(failure(() => assertCustom(custom([]), 'edited'))).toBe('allowed');
  });
});

describe('assertCovers', () => {
  it('lets an actor grant what they hold and names what they lack, sorted, when they do not', () => {
    const manager = new Set<Permission>(['profiles.manage', 'contacts.view', 'contacts.edit']);

    expect(failure(() => assertCovers(manager, ['contacts.view', 'contacts.edit'], 'create this profile'))).toBe(
      'allowed',
    );
    expect(
      failure(() =>
        assertCovers(manager, ['marketing.send', 'contacts.view', 'billing.manage'], 'create this profile'),
      ),
    ).toEqual({
      code: 'identity.escalation',
      message: 'you cannot create this profile: it needs permissions you do not hold (billing.manage, marketing.send)',
      details: { missing: ['billing.manage', 'marketing.send'] },
      fields: undefined,
    });
  });
});

describe('assertMayAssign', () => {
  it('lets only an Admin give the Admin profile, even to someone who holds every permission otherwise', () => {
    const everything = new Set<Permission>(adminPermissions);

    expect(failure(() => assertMayAssign({ profileId: 'admin', permissions: everything }, admin, 'give Admin'))).toBe(
      'allowed',
    );
    expect(
      failure(() => assertMayAssign({ profileId: 'all-powers', permissions: everything }, admin, 'give Admin')),
    ).toMatchObject({
      code: 'identity.escalation',
      message: 'you cannot give Admin: only an Admin can make someone an Admin',
    });
  });

  it('refuses a User giving a profile with a permission the User profile lacks', () => {
    const asUser = { profileId: 'user', permissions: new Set<Permission>(userPermissions) };

    expect(failure(() => assertMayAssign(asUser, custom(['contacts.view']), 'give it'))).toBe('allowed');
    expect(failure(() => assertMayAssign(asUser, custom(['contacts.view', 'billing.view']), 'give it'))).toMatchObject({
      code: 'identity.escalation',
      details: { missing: ['billing.view'] },
    });
  });
});

describe('changedProfileFields', () => {
  it('compares permissions as sets and names as written', () => {
    const before = { name: 'VA', permissions: ['contacts.view', 'contacts.edit'] };

    expect(changedProfileFields(before, { name: 'VA', permissions: ['contacts.edit', 'contacts.view'] })).toEqual([]);
    expect(changedProfileFields(before, { name: 'va', permissions: ['contacts.view'] })).toEqual([
      'name',
      'permissions',
    ]);
  });
});
