import { randomUUID } from 'node:crypto';
import { acceptInvitation } from '../src/app/accept-invitation';
import { authenticate } from '../src/app/authenticate';
import { changeStaffStatus } from '../src/app/change-staff-status';
import { checkPermission } from '../src/app/check-permission';
import { createPermissionProfile } from '../src/app/create-permission-profile';
import { deletePermissionProfile } from '../src/app/delete-permission-profile';
import { inviteStaff } from '../src/app/invite-staff';
import { login } from '../src/app/login';
import { getPermissionProfile, listPermissionProfiles } from '../src/app/permission-profile-queries';
import { getStaff } from '../src/app/staff-queries';
import { updatePermissionProfile } from '../src/app/update-permission-profile';
import { updateStaff } from '../src/app/update-staff';
import { IdentityHarness, origin } from './support/identity-harness';

const PASSWORD = 'correct horse battery staple';

/** What a rejected use case said: its code (or "allowed" when it did not throw). */
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'allowed',
    (error: unknown) => (error as { code?: string }).code ?? String(error),
  );

describe('identity: permission profiles (real PostgreSQL, Kafka, Temporal, Mailpit)', () => {
  const harness = new IdentityHarness();
  beforeAll(async () => {
    await harness.setUp();
    await harness.start();
  }, 60_000);
  afterAll(() => harness.tearDown(), 30_000);

  type Account = Awaited<ReturnType<IdentityHarness['provisionAccount']>>;

  async function anAccountWithOwner(): Promise<Account> {
    const account = await harness.provisionAccount();
    await acceptInvitation(harness.deps, {
      token: await harness.inviteTokenFor(account.ownerEmail),
      password: PASSWORD,
      origin,
    });
    return account;
  }

  /** An active member of the account with the given profile, signed in. */
  async function aMember(account: Account, profileId: string) {
    const invited = await inviteStaff(harness.deps, {
      accountId: account.accountId,
      actorUserId: account.ownerUserId,
      details: {
        firstName: 'Grace',
        lastName: 'Hopper',
        email: `member+${randomUUID().slice(0, 8)}@identity-it.test`,
        phone: '+13125550111',
        profileId,
      },
      access: { calendarIds: [], pipelineIds: [] },
    });
    await acceptInvitation(harness.deps, {
      token: await harness.inviteTokenFor(invited.email),
      password: PASSWORD,
      origin,
    });
    const session = await login(harness.deps, {
      account: account.slug,
      email: invited.email,
      password: PASSWORD,
      origin,
    });
    return { id: invited.id, email: invited.email, token: session.token };
  }

  const asOwner = (account: Account) => ({ accountId: account.accountId, actorUserId: account.ownerUserId });

  const outboxOf = async (accountId: string, types: string[]) => {
    const { rows } = await harness.deps.db.query<{
      event_type: string;
      envelope: { payload: Record<string, unknown> };
    }>(`SELECT event_type, envelope FROM outbox WHERE message_key = $1 AND event_type = ANY($2) ORDER BY position`, [
      accountId,
      types,
    ]);
    return rows.map((row) => ({ type: row.event_type, payload: row.envelope.payload }));
  };

  it('lists the built-in Admin and User profiles with the catalogue’s permissions, and creates custom profiles empty', async () => {
    const account = await anAccountWithOwner();

    const created = await createPermissionProfile(harness.deps, {
      ...asOwner(account),
      name: ' Front desk ',
      permissions: [],
    });
    const profiles = await listPermissionProfiles(harness.deps, account.accountId);

    expect(created).toMatchObject({ name: 'Front desk', builtin: false, permissions: [], userCount: 0 });
    expect(profiles.map((profile) => [profile.id, profile.name, profile.builtin, profile.userCount])).toEqual([
      ['admin', 'Admin', true, 1],
      ['user', 'User', true, 0],
      [created.id, 'Front desk', false, 0],
    ]);
    expect(await outboxOf(account.accountId, ['identity.profile.created.v1'])).toEqual([
      {
        type: 'identity.profile.created.v1',
        payload: {
          accountId: account.accountId,
          profile: { profileId: created.id, name: 'Front desk', builtin: false, permissions: [] },
        },
      },
    ]);
  });

  it('keeps profile names unique per account whatever their case, built-ins included, but not across accounts', async () => {
    const account = await anAccountWithOwner();
    const other = await anAccountWithOwner();
    await createPermissionProfile(harness.deps, { ...asOwner(account), name: 'Sales', permissions: [] });

    expect(
      await outcome(createPermissionProfile(harness.deps, { ...asOwner(account), name: 'SALES', permissions: [] })),
    ).toBe('identity.profile_name_taken');
    expect(
      await outcome(createPermissionProfile(harness.deps, { ...asOwner(account), name: 'admin', permissions: [] })),
    ).toBe('identity.profile_name_taken');
    expect(
      await outcome(createPermissionProfile(harness.deps, { ...asOwner(other), name: 'Sales', permissions: [] })),
    ).toBe('allowed');
  });

  it('answers a repeated create with the same Idempotency-Key with the same profile, even when both race', async () => {
    const account = await anAccountWithOwner();
    const request = {
      ...asOwner(account),
      name: 'Support',
      permissions: ['conversations.view'],
      idempotencyKey: randomUUID(),
    };
    for (let round = 0; round < 5; round += 1) {
      const racing = { ...request, name: `Support ${round}`, idempotencyKey: randomUUID() };
      const [first, second] = await Promise.all([
        createPermissionProfile(harness.deps, racing),
        createPermissionProfile(harness.deps, racing),
      ]);
      expect(second.id).toBe(first.id);
    }

    const first = await createPermissionProfile(harness.deps, request);
    const second = await createPermissionProfile(harness.deps, request);
    expect(second.id).toBe(first.id);
    expect(await outcome(createPermissionProfile(harness.deps, { ...request, name: 'Other' }))).toBe(
      'idempotency.key_reused',
    );
  });

  it('refuses every escalation: creating, editing, deleting or assigning beyond what the actor holds', async () => {
    const account = await anAccountWithOwner();
    const managerProfile = await createPermissionProfile(harness.deps, {
      ...asOwner(account),
      name: 'Profile manager',
      permissions: ['profiles.manage', 'staff.view', 'staff.manage', 'contacts.view'],
    });
    const manager = await aMember(account, managerProfile.id);
    const asManager = { accountId: account.accountId, actorUserId: manager.id };
    const billing = await createPermissionProfile(harness.deps, {
      ...asOwner(account),
      name: 'Billing clerk',
      permissions: ['billing.view', 'contacts.view'],
    });
    const own = await createPermissionProfile(harness.deps, {
      ...asManager,
      name: 'Readers',
      permissions: ['contacts.view'],
    });
    const colleague = await aMember(account, own.id);

    expect({
      createWithBilling: await outcome(
        createPermissionProfile(harness.deps, { ...asManager, name: 'Sneaky', permissions: ['billing.manage'] }),
      ),
      addMarketingSend: await outcome(
        updatePermissionProfile(harness.deps, {
          ...asManager,
          profileId: own.id,
          permissions: ['contacts.view', 'marketing.send'],
        }),
      ),
      renameProfileWithBilling: await outcome(
        updatePermissionProfile(harness.deps, { ...asManager, profileId: billing.id, name: 'Clerks' }),
      ),
      deleteProfileWithBilling: await outcome(
        deletePermissionProfile(harness.deps, { ...asManager, profileId: billing.id }),
      ),
      assignBillingProfile: await outcome(
        updateStaff(harness.deps, { ...asManager, userId: colleague.id, profileId: billing.id }),
      ),
      assignAdmin: await outcome(updateStaff(harness.deps, { ...asManager, userId: colleague.id, profileId: 'admin' })),
      inviteAsAdmin: await outcome(
        inviteStaff(harness.deps, {
          ...asManager,
          details: {
            firstName: 'E',
            lastName: 'Vil',
            email: 'evil@identity-it.test',
            phone: '+13125550112',
            profileId: 'admin',
          },
          access: { calendarIds: [], pipelineIds: [] },
        }),
      ),
      withinOwnPowers: await outcome(
        updatePermissionProfile(harness.deps, {
          ...asManager,
          profileId: own.id,
          permissions: ['contacts.view', 'staff.view'],
        }),
      ),
    }).toEqual({
      createWithBilling: 'identity.escalation',
      addMarketingSend: 'identity.escalation',
      renameProfileWithBilling: 'identity.escalation',
      deleteProfileWithBilling: 'identity.escalation',
      assignBillingProfile: 'identity.escalation',
      assignAdmin: 'identity.escalation',
      inviteAsAdmin: 'identity.escalation',
      withinOwnPowers: 'allowed',
    });
    expect(
      (await getPermissionProfile(harness.deps, { accountId: account.accountId, profileId: billing.id })).name,
    ).toBe('Billing clerk');
  });

  it('lets only an Admin make someone an Admin, even when the actor’s custom profile holds every permission', async () => {
    const account = await anAccountWithOwner();
    const { allPermissions } = await import('@crm/contracts');
    const everything = await createPermissionProfile(harness.deps, {
      ...asOwner(account),
      name: 'Everything',
      permissions: [...allPermissions],
    });
    const powerful = await aMember(account, everything.id);
    const target = await aMember(account, 'user');

    expect(
      await outcome(
        updateStaff(harness.deps, {
          accountId: account.accountId,
          actorUserId: powerful.id,
          userId: target.id,
          profileId: 'admin',
        }),
      ),
    ).toBe('identity.escalation');
    expect(
      await outcome(updateStaff(harness.deps, { ...asOwner(account), userId: target.id, profileId: 'admin' })),
    ).toBe('allowed');
  });

  it('refuses to edit or delete the built-in profiles', async () => {
    const account = await anAccountWithOwner();

    expect(
      await outcome(updatePermissionProfile(harness.deps, { ...asOwner(account), profileId: 'user', permissions: [] })),
    ).toBe('identity.profile_builtin');
    expect(await outcome(deletePermissionProfile(harness.deps, { ...asOwner(account), profileId: 'admin' }))).toBe(
      'identity.profile_builtin',
    );
  });

  it('changes every holder’s permissions on their next request when a profile is edited, and announces each', async () => {
    const account = await anAccountWithOwner();
    const va = await createPermissionProfile(harness.deps, {
      ...asOwner(account),
      name: 'Virtual assistant',
      permissions: ['contacts.view', 'contacts.edit', 'marketing.view'],
    });
    const member = await aMember(account, va.id);
    const before = await authenticate(harness.deps, member.token);

    const edited = await updatePermissionProfile(harness.deps, {
      ...asOwner(account),
      profileId: va.id,
      permissions: ['contacts.view', 'marketing.view'],
    });
    const after = await authenticate(harness.deps, member.token);

    expect(before.permissions.sort()).toEqual(['contacts.edit', 'contacts.view', 'marketing.view']);
    expect(before.profileId).toBe(va.id);
    expect(after.permissions.sort()).toEqual(['contacts.view', 'marketing.view']);
    expect(edited).toMatchObject({ permissions: ['contacts.view', 'marketing.view'], userCount: 1 });
    expect(
      await outboxOf(account.accountId, ['identity.profile.updated.v1', 'identity.permissions.changed.v1']),
    ).toEqual([
      {
        type: 'identity.profile.updated.v1',
        payload: {
          accountId: account.accountId,
          profile: {
            profileId: va.id,
            name: 'Virtual assistant',
            builtin: false,
            permissions: ['contacts.view', 'marketing.view'],
          },
          changedFields: ['permissions'],
        },
      },
      {
        type: 'identity.permissions.changed.v1',
        payload: {
          accountId: account.accountId,
          userId: member.id,
          profileId: va.id,
          permissions: ['contacts.view', 'marketing.view'],
          reason: 'profile_updated',
        },
      },
    ]);
  });

  it('announces a user’s new permissions when they are given another profile', async () => {
    const account = await anAccountWithOwner();
    const member = await aMember(account, 'user');
    const readers = await createPermissionProfile(harness.deps, {
      ...asOwner(account),
      name: 'Readers',
      permissions: ['reporting.view'],
    });

    await updateStaff(harness.deps, { ...asOwner(account), userId: member.id, profileId: readers.id });

    expect(await outboxOf(account.accountId, ['identity.permissions.changed.v1'])).toEqual([
      {
        type: 'identity.permissions.changed.v1',
        payload: {
          accountId: account.accountId,
          userId: member.id,
          profileId: readers.id,
          permissions: ['reporting.view'],
          reason: 'profile_assigned',
        },
      },
    ]);
    expect((await authenticate(harness.deps, member.token)).permissions).toEqual(['reporting.view']);
  });

  it('deletes a profile in use only with reassignTo, moving its users; removed users keep it in their history', async () => {
    const account = await anAccountWithOwner();
    const temp = await createPermissionProfile(harness.deps, {
      ...asOwner(account),
      name: 'Temps',
      permissions: ['contacts.view'],
    });
    const member = await aMember(account, temp.id);
    const gone = await aMember(account, temp.id);
    await changeStaffStatus(harness.deps, { ...asOwner(account), userId: gone.id, change: 'remove' });

    const refused = await deletePermissionProfile(harness.deps, { ...asOwner(account), profileId: temp.id }).catch(
      (error: unknown) => error as { code: string; message: string; details: unknown },
    );
    const unknownTarget = await outcome(
      deletePermissionProfile(harness.deps, { ...asOwner(account), profileId: temp.id, reassignTo: randomUUID() }),
    );
    const deleted = await deletePermissionProfile(harness.deps, {
      ...asOwner(account),
      profileId: temp.id,
      reassignTo: 'user',
    });

    expect(refused).toMatchObject({
      code: 'identity.profile_in_use',
      message: '1 user holds the Temps profile: pass reassignTo with the profile they should get instead',
      details: { users: 1 },
    });
    expect(unknownTarget).toBe('validation.failed');
    expect(deleted).toEqual({ reassignedUsers: 1 });
    expect((await getStaff(harness.deps, { accountId: account.accountId, userId: member.id })).profileId).toBe('user');
    expect(
      await outcome(getPermissionProfile(harness.deps, { accountId: account.accountId, profileId: temp.id })),
    ).toBe('resource.not_found');
    expect((await listPermissionProfiles(harness.deps, account.accountId)).map((profile) => profile.id)).toEqual([
      'admin',
      'user',
    ]);
    expect(
      await harness.count(`SELECT count(*) FROM users WHERE account_id = $1 AND id = $2 AND profile_id = $3`, [
        account.accountId,
        gone.id,
        temp.id,
      ]),
    ).toBe(1);
    expect(
      (await outboxOf(account.accountId, ['identity.profile.deleted.v1', 'identity.permissions.changed.v1'])).map(
        ({ type, payload }) => [
          type,
          payload.userId ?? payload.reassignedTo,
          payload.reason ?? payload.reassignedUsers,
        ],
      ),
    ).toEqual([
      ['identity.permissions.changed.v1', member.id, 'profile_deleted'],
      ['identity.profile.deleted.v1', 'user', 1],
    ]);
    // Its name is free again.
    expect(
      await outcome(createPermissionProfile(harness.deps, { ...asOwner(account), name: 'Temps', permissions: [] })),
    ).toBe('allowed');
  });

  it('deletes a profile nobody holds without reassignTo', async () => {
    const account = await anAccountWithOwner();
    const unused = await createPermissionProfile(harness.deps, {
      ...asOwner(account),
      name: 'Unused',
      permissions: [],
    });

    expect(await deletePermissionProfile(harness.deps, { ...asOwner(account), profileId: unused.id })).toEqual({
      reassignedUsers: 0,
    });
  });

  it('answers not found for another account’s profile or user, whatever the operation', async () => {
    const account = await anAccountWithOwner();
    const other = await anAccountWithOwner();
    const theirs = await createPermissionProfile(harness.deps, { ...asOwner(other), name: 'Theirs', permissions: [] });

    expect({
      get: await outcome(getPermissionProfile(harness.deps, { accountId: account.accountId, profileId: theirs.id })),
      update: await outcome(
        updatePermissionProfile(harness.deps, { ...asOwner(account), profileId: theirs.id, name: 'Mine now' }),
      ),
      delete: await outcome(deletePermissionProfile(harness.deps, { ...asOwner(account), profileId: theirs.id })),
      assign: await outcome(
        updateStaff(harness.deps, { ...asOwner(account), userId: account.ownerUserId, profileId: theirs.id }),
      ),
      reassignTo: await outcome(
        deletePermissionProfile(harness.deps, {
          ...asOwner(account),
          profileId: (await createPermissionProfile(harness.deps, { ...asOwner(account), name: 'X', permissions: [] }))
            .id,
          reassignTo: theirs.id,
        }),
      ),
      check: await outcome(
        checkPermission(harness.deps, {
          accountId: account.accountId,
          userId: other.ownerUserId,
          permission: 'contacts.view',
        }),
      ),
    }).toEqual({
      get: 'resource.not_found',
      update: 'resource.not_found',
      delete: 'resource.not_found',
      assign: 'validation.failed',
      reassignTo: 'validation.failed',
      check: 'resource.not_found',
    });
    expect((await getPermissionProfile(harness.deps, { accountId: other.accountId, profileId: theirs.id })).name).toBe(
      'Theirs',
    );
  });

  it('checks a permission for any user of the account: granted, not granted, not active, unknown permission', async () => {
    const account = await anAccountWithOwner();
    const va = await createPermissionProfile(harness.deps, {
      ...asOwner(account),
      name: 'VA',
      permissions: ['contacts.view', 'contacts.edit', 'marketing.view'],
    });
    const member = await aMember(account, va.id);
    const check = (permission: string) =>
      checkPermission(harness.deps, { accountId: account.accountId, userId: member.id, permission });

    expect(await check('contacts.edit')).toEqual({
      allowed: true,
      reason: 'granted',
      permissions: ['contacts.edit', 'contacts.view', 'marketing.view'],
    });
    expect(await check('marketing.send')).toMatchObject({ allowed: false, reason: 'not_granted' });
    expect(await outcome(check('marketing.spam'))).toBe('validation.failed');
    await changeStaffStatus(harness.deps, { ...asOwner(account), userId: member.id, change: 'deactivate' });
    expect(await check('contacts.edit')).toEqual({ allowed: false, reason: 'user_not_active', permissions: [] });
  });
});
