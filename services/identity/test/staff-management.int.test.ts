import { randomUUID } from 'node:crypto';
import { eventually } from '@crm/testing';
import { membershipsRepository } from '../src/adapters/memberships.repository';
import { acceptInvitation } from '../src/app/accept-invitation';
import { authenticate } from '../src/app/authenticate';
import { changeStaffStatus } from '../src/app/change-staff-status';
import { inviteStaff, type InviteStaff } from '../src/app/invite-staff';
import { login } from '../src/app/login';
import { getStaff, listStaff } from '../src/app/staff-queries';
import { updateStaff } from '../src/app/update-staff';
import { IdentityHarness, origin } from './support/identity-harness';

const PASSWORD = 'correct horse battery staple';

describe('identity: staff management (real PostgreSQL, Kafka, Temporal, Mailpit)', () => {
  const harness = new IdentityHarness();
  beforeAll(async () => {
    await harness.setUp();
    await harness.start();
  }, 60_000);
  afterAll(() => harness.tearDown(), 30_000);

  async function anAccountWithOwner() {
    const account = await harness.provisionAccount();
    await acceptInvitation(harness.deps, {
      token: await harness.inviteTokenFor(account.ownerEmail),
      password: PASSWORD,
      origin,
    });
    return account;
  }

  const anInvitation = (
    account: { accountId: string; ownerUserId: string },
    overrides: Partial<InviteStaff> = {},
  ): InviteStaff => ({
    accountId: account.accountId,
    actorUserId: account.ownerUserId,
    details: {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: `grace+${randomUUID().slice(0, 8)}@identity-it.test`,
      phone: '+13125550111',
      profileId: 'user',
    },
    access: { calendarIds: [], pipelineIds: [] },
    ...overrides,
  });

  it('answers a repeated invitation with the same Idempotency-Key with the same user, and refuses the key for another request', async () => {
    const account = await anAccountWithOwner();
    const request = { ...anInvitation(account), idempotencyKey: `invite-${randomUUID()}` };

    const first = await inviteStaff(harness.deps, request);
    const again = await inviteStaff(harness.deps, request);
    const other = await inviteStaff(harness.deps, {
      ...anInvitation(account),
      idempotencyKey: request.idempotencyKey,
    }).catch((error: unknown) => error);
    const sameEmailNoKey = await inviteStaff(harness.deps, { ...request, idempotencyKey: undefined }).catch(
      (error: unknown) => error,
    );

    expect(again.id).toBe(first.id);
    expect((other as { code?: string }).code).toBe('idempotency.key_reused');
    expect((sameEmailNoKey as { code?: string }).code).toBe('identity.email_taken');
    expect(
      await harness.count(`SELECT count(*) FROM users WHERE account_id = $1 AND email = $2`, [
        account.accountId,
        request.details.email,
      ]),
    ).toBe(1);
  });

  it('answers two concurrent invitations with the same Idempotency-Key with the same user, never email_taken', async () => {
    const account = await anAccountWithOwner();
    for (let round = 0; round < 5; round += 1) {
      const request = { ...anInvitation(account), idempotencyKey: `invite-${randomUUID()}` };

      const [first, second] = await Promise.all([
        inviteStaff(harness.deps, request),
        inviteStaff(harness.deps, request),
      ]);

      expect(second.id).toBe(first.id);
      expect(
        await harness.count(`SELECT count(*) FROM users WHERE account_id = $1 AND email = $2`, [
          account.accountId,
          request.details.email,
        ]),
      ).toBe(1);
    }
  });

  it('applies the chosen calendars and the access copied from a colleague on acceptance, and then stops flagging the member', async () => {
    const account = await anAccountWithOwner();
    const [calendar, pipeline, chosenCalendar] = [randomUUID(), randomUUID(), randomUUID()];
    await membershipsRepository.add(
      harness.deps.db.pool,
      account.accountId,
      account.ownerUserId,
      'calendar',
      [calendar],
      new Date(),
    );
    await membershipsRepository.add(
      harness.deps.db.pool,
      account.accountId,
      account.ownerUserId,
      'pipeline',
      [pipeline],
      new Date(),
    );
    const invited = await inviteStaff(
      harness.deps,
      anInvitation(account, {
        access: { calendarIds: [chosenCalendar], pipelineIds: [], copyAccessFrom: account.ownerUserId },
      }),
    );

    await acceptInvitation(harness.deps, {
      token: await harness.inviteTokenFor(invited.email),
      password: PASSWORD,
      origin,
    });
    const member = await eventually(async () => {
      const row = await getStaff(harness.deps, { accountId: account.accountId, userId: invited.id });
      return row.inNoCalendar || row.inNoPipeline ? undefined : row;
    });

    expect(member).toMatchObject({ status: 'active', inNoCalendar: false, inNoPipeline: false });
    const memberships = await membershipsRepository.listForUser(harness.deps.db.pool, account.accountId, invited.id);
    expect(memberships).toEqual(
      expect.arrayContaining([
        { kind: 'calendar', resourceId: calendar },
        { kind: 'calendar', resourceId: chosenCalendar },
        { kind: 'pipeline', resourceId: pipeline },
      ]),
    );
    expect(memberships).toHaveLength(3);
  });

  it('flags an active member in no calendar or pipeline, lists by status and search, and hides removed users', async () => {
    const account = await anAccountWithOwner();
    const active = await inviteStaff(
      harness.deps,
      anInvitation(account, { details: { ...anInvitation(account).details, firstName: 'Linus' } }),
    );
    await acceptInvitation(harness.deps, {
      token: await harness.inviteTokenFor(active.email),
      password: PASSWORD,
      origin,
    });
    const pending = await inviteStaff(harness.deps, anInvitation(account));
    const removed = await inviteStaff(harness.deps, anInvitation(account));
    await changeStaffStatus(harness.deps, {
      accountId: account.accountId,
      actorUserId: account.ownerUserId,
      userId: removed.id,
      change: 'remove',
    });

    const everyone = await listStaff(harness.deps, { accountId: account.accountId });
    const invited = await listStaff(harness.deps, { accountId: account.accountId, status: 'invited' });
    const linus = await listStaff(harness.deps, { accountId: account.accountId, query: 'LINUS' });
    const badStatus = await listStaff(harness.deps, { accountId: account.accountId, status: 'sleeping' }).catch(
      (error: unknown) => error,
    );

    expect(everyone.map((row) => [row.id, row.status, row.inNoCalendar])).toEqual([
      [account.ownerUserId, 'active', true],
      [active.id, 'active', true],
      [pending.id, 'invited', false],
    ]);
    expect(invited.map((row) => row.id)).toEqual([pending.id]);
    expect(linus.map((row) => row.id)).toEqual([active.id]);
    expect((badStatus as { code?: string }).code).toBe('validation.failed');
  });

  it('changes a user’s permissions on their next request when their profile changes, and reactivates a deactivated user', async () => {
    const account = await anAccountWithOwner();
    const invited = await inviteStaff(harness.deps, anInvitation(account));
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
    const before = await authenticate(harness.deps, session.token);

    await updateStaff(harness.deps, {
      accountId: account.accountId,
      actorUserId: account.ownerUserId,
      userId: invited.id,
      profileId: 'admin',
      firstName: '  Grace B. ',
    });
    const after = await authenticate(harness.deps, session.token);
    await changeStaffStatus(harness.deps, {
      accountId: account.accountId,
      actorUserId: account.ownerUserId,
      userId: invited.id,
      change: 'deactivate',
    });
    const reactivated = await changeStaffStatus(harness.deps, {
      accountId: account.accountId,
      actorUserId: account.ownerUserId,
      userId: invited.id,
      change: 'reactivate',
    });

    expect(before.permissions).not.toContain('billing.manage');
    expect(after.permissions).toContain('billing.manage');
    expect(reactivated).toMatchObject({ status: 'active', profileId: 'admin', firstName: 'Grace B.' });
    expect(
      await harness.count(`SELECT count(*) FROM outbox WHERE message_key = $1 AND event_type = ANY($2)`, [
        account.accountId,
        ['identity.user.updated.v1', 'identity.user.deactivated.v1'],
      ]),
    ).toBe(2);
  });
});
