import { randomUUID } from 'node:crypto';
import { isDomainError, problemFor } from '@crm/platform/errors';
import { eventually } from '@crm/testing';
import { acceptInvitation } from '../src/app/accept-invitation';
import { authenticate } from '../src/app/authenticate';
import { changeStaffStatus } from '../src/app/change-staff-status';
import { getInvitation } from '../src/app/get-invitation';
import { inviteStaff } from '../src/app/invite-staff';
import { login } from '../src/app/login';
import { resendInvitation } from '../src/app/resend-invitation';
import { revokeInvitation } from '../src/app/revoke-invitation';
import { IdentityHarness, origin } from './support/identity-harness';

const PASSWORD = 'correct horse battery staple';

/** The error a promise rejects with (failing the test when it resolves). */
async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message?: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a rejection');
}

describe('identity: invitations, sessions and login protection (real PostgreSQL, Kafka, Temporal, Mailpit)', () => {
  const harness = new IdentityHarness({ IDENTITY_LOGIN_MAX_FAILURES_PER_USER: '5', IDENTITY_LOGIN_USER_WINDOW: '15m' });
  beforeAll(async () => {
    await harness.setUp();
    await harness.start();
  }, 60_000);
  afterAll(() => harness.tearDown(), 30_000);

  /** A provisioned account whose owner accepted their invitation and signed in. */
  async function anAccountWithOwner() {
    const account = await harness.provisionAccount();
    const token = await harness.inviteTokenFor(account.ownerEmail);
    await acceptInvitation(harness.deps, { token, password: PASSWORD, origin });
    const session = await login(harness.deps, {
      account: account.slug,
      email: account.ownerEmail,
      password: PASSWORD,
      origin,
    });
    return { ...account, session };
  }

  /** A staff member invited by the owner; `accept` makes them active with a session. */
  async function aStaffMember(account: { accountId: string; ownerUserId: string; slug: string }, profileId = 'user') {
    const email = `staff+${randomUUID().slice(0, 8)}@identity-it.test`;
    const member = await inviteStaff(harness.deps, {
      accountId: account.accountId,
      actorUserId: account.ownerUserId,
      details: { firstName: 'Grace', lastName: 'Staff', email, phone: '+13125550111', profileId },
      access: { calendarIds: [], pipelineIds: [] },
    });
    const token = await harness.inviteTokenFor(email);
    return {
      id: member.id,
      email,
      token,
      accept: async () => {
        await acceptInvitation(harness.deps, { token, password: PASSWORD, origin });
        return login(harness.deps, { account: account.slug, email, password: PASSWORD, origin });
      },
    };
  }

  it('activates exactly one user when 10 accepts of one link race', async () => {
    const account = await harness.provisionAccount();
    const token = await harness.inviteTokenFor(account.ownerEmail);

    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => acceptInvitation(harness.deps, { token, password: PASSWORD, origin })),
    );

    const accepted = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(accepted).toHaveLength(1);
    expect(
      refused.map((error) => (isDomainError(error) ? `${error.code} ${error.httpStatus}` : String(error))),
    ).toEqual(Array(9).fill('identity.invite_used 410'));
    expect(await harness.count(`SELECT count(*) FROM credentials WHERE user_id = $1`, [account.ownerUserId])).toBe(1);
    expect(
      await harness.count(
        `SELECT count(*) FROM outbox WHERE event_type = 'identity.user.activated.v1' AND message_key = $1`,
        [account.accountId],
      ),
    ).toBe(1);
  });

  it('answers 410 for a used link, a revoked one, an expired one and one a resend replaced; 404 for an unknown one', async () => {
    const account = await anAccountWithOwner();
    const usedToken = await harness.inviteTokenFor(account.ownerEmail);
    const revoked = await aStaffMember(account);
    await revokeInvitation(harness.deps, {
      accountId: account.accountId,
      actorUserId: account.ownerUserId,
      userId: revoked.id,
    });
    const resent = await aStaffMember(account);
    await resendInvitation(harness.deps, {
      accountId: account.accountId,
      actorUserId: account.ownerUserId,
      userId: resent.id,
    });
    const newToken = await harness.inviteTokenFor(resent.email, 2);
    const expiring = await aStaffMember(account);

    const answers: Record<string, Awaited<ReturnType<typeof rejection>>> = {
      used: await rejection(getInvitation(harness.deps, usedToken)),
      revoked: await rejection(acceptInvitation(harness.deps, { token: revoked.token, password: PASSWORD, origin })),
      replaced: await rejection(acceptInvitation(harness.deps, { token: resent.token, password: PASSWORD, origin })),
      unknown: await rejection(getInvitation(harness.deps, `inv_${'A'.repeat(43)}`)),
    };
    harness.clock.advance(7 * 24 * 3600 * 1000 + 1000);
    try {
      answers.expired = await rejection(
        acceptInvitation(harness.deps, { token: expiring.token, password: PASSWORD, origin }),
      );
    } finally {
      harness.clock.advance(-(7 * 24 * 3600 * 1000 + 1000));
    }

    const codes = Object.fromEntries(
      Object.entries(answers).map(([key, error]) => [key, [error.code, problemFor(error).status]]),
    );
    expect(codes).toEqual({
      used: ['identity.invite_used', 410],
      revoked: ['identity.invite_revoked', 410],
      replaced: ['identity.invite_superseded', 410],
      unknown: ['identity.invite_not_found', 404],
      expired: ['identity.invite_expired', 410],
    });
    expect(newToken).not.toBe(resent.token);
    await expect(getInvitation(harness.deps, newToken)).resolves.toMatchObject({ email: resent.email });
  });

  it('stores the password as argon2id with m=19456 KiB, t=2, p=1 and a 16-byte salt', async () => {
    const account = await anAccountWithOwner();

    const { rows } = await harness.deps.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM credentials WHERE user_id = $1',
      [account.ownerUserId],
    );

    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(rows[0]?.password_hash).not.toContain(PASSWORD);
  });

  it('refuses on its next request the session of a user who was deactivated, or removed', async () => {
    const account = await anAccountWithOwner();
    const deactivated = await (await aStaffMember(account)).accept();
    const removed = await (await aStaffMember(account)).accept();
    const before = await Promise.all([
      authenticate(harness.deps, deactivated.token),
      authenticate(harness.deps, removed.token),
    ]);

    await changeStaffStatus(harness.deps, {
      accountId: account.accountId,
      actorUserId: account.ownerUserId,
      userId: deactivated.user.id,
      change: 'deactivate',
    });
    await changeStaffStatus(harness.deps, {
      accountId: account.accountId,
      actorUserId: account.ownerUserId,
      userId: removed.user.id,
      change: 'remove',
    });

    expect(before.map((principal) => principal.permissions.includes('contacts.view'))).toEqual([true, true]);
    for (const token of [deactivated.token, removed.token]) {
      const error = await rejection(authenticate(harness.deps, token));
      expect([error.code, problemFor(error).status]).toEqual(['auth.unauthenticated', 401]);
    }
    expect(
      await harness.count('SELECT count(*) FROM sessions WHERE user_id = ANY($1) AND ended_at IS NULL', [
        [deactivated.user.id, removed.user.id],
      ]),
    ).toBe(0);
  });

  it('keeps the owner (409), refuses removing yourself (409), and lets a User manage no Admin (403)', async () => {
    const account = await anAccountWithOwner();
    const admin = await aStaffMember(account, 'admin');
    const adminSession = await admin.accept();
    const user = await aStaffMember(account, 'user');
    const userSession = await user.accept();

    const removeOwner = await rejection(
      changeStaffStatus(harness.deps, {
        accountId: account.accountId,
        actorUserId: admin.id,
        userId: account.ownerUserId,
        change: 'remove',
      }),
    );
    const userRemovesAdmin = await rejection(
      changeStaffStatus(harness.deps, {
        accountId: account.accountId,
        actorUserId: userSession.user.id,
        userId: admin.id,
        change: 'deactivate',
      }),
    );
    await changeStaffStatus(harness.deps, {
      accountId: account.accountId,
      actorUserId: account.ownerUserId,
      userId: adminSession.user.id,
      change: 'remove',
    });
    const removeYourself = await rejection(
      changeStaffStatus(harness.deps, {
        accountId: account.accountId,
        actorUserId: account.ownerUserId,
        userId: account.ownerUserId,
        change: 'remove',
      }),
    );

    expect([removeOwner.code, problemFor(removeOwner).status]).toEqual(['identity.owner_protected', 409]);
    expect([userRemovesAdmin.code, problemFor(userRemovesAdmin).status]).toEqual(['identity.escalation', 403]);
    expect([removeYourself.code, problemFor(removeYourself).status]).toEqual(['resource.conflict', 409]);
  });

  it('answers an unknown email and a wrong password with the same error, after the same work', async () => {
    const account = await anAccountWithOwner();
    const timed = async (email: string) => {
      const started = process.hrtime.bigint();
      const error = await rejection(
        login(harness.deps, {
          account: account.slug,
          email,
          password: 'not the password at all',
          origin: { ...origin, ip: randomUUID() },
        }),
      );
      return {
        error: { code: error.code, message: error.message },
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      };
    };
    await timed('warm-up@identity-it.test');
    const verify = jest.spyOn(harness.deps.passwords, 'verify');
    const verifyNothing = jest.spyOn(harness.deps.passwords, 'verifyNothing');

    const unknown = [];
    const wrong = [];
    for (let i = 0; i < 4; i++) {
      unknown.push(await timed(`nobody+${i}@identity-it.test`));
      wrong.push(await timed(account.ownerEmail));
    }

    expect(new Set([...unknown, ...wrong].map(({ error }) => JSON.stringify(error)))).toEqual(
      new Set([
        JSON.stringify({
          code: 'identity.invalid_credentials',
          message: 'the account, email or password is not right',
        }),
      ]),
    );
    const median = (runs: { ms: number }[]) =>
      runs.map(({ ms }) => ms).sort((a, b) => a - b)[Math.floor(runs.length / 2)] ?? 0;
    // The same work: one argon2 verification per attempt (against a decoy hash when there is no such user)...
    expect([verify.mock.calls.length, verifyNothing.mock.calls.length]).toEqual([4, 4]);
    verify.mockRestore();
    verifyNothing.mockRestore();
    // ...so an unknown email is not measurably faster (a loose bound: the machine may be busy with other tests).
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.5);
    expect(median(unknown)).toBeLessThan(median(wrong) * 2);
  });

  it('throttles repeated failures on one email with 429 and Retry-After, before any hashing', async () => {
    const account = await anAccountWithOwner();
    const attempt = () =>
      rejection(
        login(harness.deps, {
          account: account.slug,
          email: account.ownerEmail,
          password: 'wrong password, again',
          origin,
        }),
      );
    for (let i = 0; i < 5; i++) expect((await attempt()).code).toBe('identity.invalid_credentials');
    const verify = jest.spyOn(harness.deps.passwords, 'verify');
    const verifyNothing = jest.spyOn(harness.deps.passwords, 'verifyNothing');

    const throttled = await attempt();
    const correctButThrottled = await rejection(
      login(harness.deps, { account: account.slug, email: account.ownerEmail, password: PASSWORD, origin }),
    );

    const problem = problemFor(throttled);
    expect(problem.status).toBe(429);
    expect(Number(problem.headers['Retry-After'])).toBeGreaterThan(0);
    expect(Number(problem.headers['Retry-After'])).toBeLessThanOrEqual(15 * 60);
    expect(correctButThrottled.code).toBe('auth.rate_limited');
    expect(verify).not.toHaveBeenCalled();
    expect(verifyNothing).not.toHaveBeenCalled();
    verify.mockRestore();
    verifyNothing.mockRestore();
    await eventually(async () =>
      (await harness.count(
        `SELECT count(*) FROM activity_log WHERE account_id = $1 AND action = 'auth.login' AND result = 'denied'`,
        [account.accountId],
      )) >= 2
        ? true
        : undefined,
    );
  });
});
