import { checkStatusChange, type User } from './user';

const aUser = (overrides: Partial<User> = {}): User => ({
  id: 'u-target',
  accountId: 'a-1',
  email: 'grace@acme.test',
  firstName: 'Grace',
  lastName: 'Hopper',
  phone: '+13125550100',
  profileId: 'user',
  status: 'active',
  isOwner: false,
  createdAt: new Date('2026-03-01T00:00:00Z'),
  updatedAt: new Date('2026-03-01T00:00:00Z'),
  activatedAt: new Date('2026-03-01T00:00:00Z'),
  ...overrides,
});

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'allowed';
};

describe('checkStatusChange', () => {
  it('removes or deactivates an active User', () => {
    expect(checkStatusChange('remove', aUser(), 'u-admin', 1)).toBe('removed');
    expect(checkStatusChange('deactivate', aUser(), 'u-admin', 1)).toBe('deactivated');
  });

  it('refuses to remove or deactivate the last active Admin', () => {
    const lastAdmin = aUser({ profileId: 'admin' });

    expect(codeOf(() => checkStatusChange('remove', lastAdmin, 'u-other', 1))).toBe('identity.last_admin');
    expect(codeOf(() => checkStatusChange('deactivate', lastAdmin, 'u-other', 1))).toBe('identity.last_admin');
    expect(checkStatusChange('remove', lastAdmin, 'u-other', 2)).toBe('removed');
  });

  it('protects the owner whatever the number of Admins', () => {
    expect(codeOf(() => checkStatusChange('remove', aUser({ profileId: 'admin', isOwner: true }), 'u-other', 5))).toBe(
      'identity.owner_protected',
    );
  });

  it('refuses changing your own status', () => {
    expect(codeOf(() => checkStatusChange('deactivate', aUser(), 'u-target', 3))).toBe('resource.conflict');
  });

  it('reactivates only a deactivated user', () => {
    expect(checkStatusChange('reactivate', aUser({ status: 'deactivated' }), 'u-admin', 1)).toBe('active');
    expect(codeOf(() => checkStatusChange('reactivate', aUser({ status: 'invited' }), 'u-admin', 1))).toBe(
      'resource.conflict',
    );
  });

  it('deactivates only an active user, and never a removed one', () => {
    expect(codeOf(() => checkStatusChange('deactivate', aUser({ status: 'invited' }), 'u-admin', 1))).toBe(
      'resource.conflict',
    );
    expect(codeOf(() => checkStatusChange('remove', aUser({ status: 'removed' }), 'u-admin', 1))).toBe(
      'resource.not_found',
    );
  });
});
