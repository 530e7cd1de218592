import { randomUUID } from 'node:crypto';
import { DomainError } from '@crm/platform/errors';
import { accountsRepository, type IdentityAccount } from '../adapters/accounts.repository';
import { credentialsRepository } from '../adapters/credentials.repository';
import { sessionsRepository } from '../adapters/sessions.repository';
import { usersRepository, type StaffRow } from '../adapters/users.repository';
import { issueToken } from '../domain/tokens';
import type { IdentityDeps } from '../deps';
import { recordActivity } from './record-activity';
import type { RequestOrigin } from './request-origin';

export interface Login {
  /** Slug or id. */
  account: string;
  email: string;
  password: string;
  origin: RequestOrigin;
}

export interface LoggedIn {
  token: string;
  expiresAt: Date;
  user: StaffRow;
  account: IdentityAccount;
}

const invalidCredentials = () =>
  new DomainError('identity.invalid_credentials', undefined, {
    message: 'the account, email or password is not right',
  });

/**
 * Email + password → a session (opaque token, stored hashed). No enumeration: an unknown account, an unknown
 * email, a user who is not active and a wrong password all cost one argon2 verification and get the same 401.
 * Throttled per account+email and per IP; a throttled attempt answers 429 before any hashing.
 */
export async function login(deps: IdentityDeps, command: Login): Promise<LoggedIn> {
  const email = command.email.trim().toLowerCase();
  const { ip, userAgent } = command.origin;
  const account = await accountsRepository.findBySlugOrId(deps.db.pool, command.account);
  const throttleKey = account?.id ?? `unknown:${command.account.trim().toLowerCase().slice(0, 80)}`;
  const log = (
    result: 'success' | 'failure' | 'denied',
    statusCode: number,
    actorUserId: string | null,
    target: string,
  ) =>
    account
      ? recordActivity(deps, {
          accountId: account.id,
          actorUserId,
          action: 'auth.login',
          target,
          occurredAt: deps.now(),
          ip,
          userAgent,
          result,
          statusCode,
        })
      : Promise.resolve();

  const retryAfterSeconds = await deps.throttle.retryAfter(throttleKey, email, ip);
  if (retryAfterSeconds !== undefined) {
    await log('denied', 429, null, `email:${email}`);
    throw new DomainError(
      'auth.rate_limited',
      { retryAfterSeconds },
      { message: `too many failed sign-in attempts: try again in ${retryAfterSeconds} s` },
    );
  }

  const user = account && (await usersRepository.findByEmail(deps.db.pool, account.id, email));
  const storedHash =
    user?.status === 'active'
      ? await credentialsRepository.passwordHash(deps.db.pool, user.accountId, user.id)
      : undefined;
  const verified = storedHash
    ? await deps.passwords.verify(storedHash, command.password)
    : await deps.passwords.verifyNothing(command.password);
  if (!verified || !account || !user) {
    await deps.throttle.recordFailure(throttleKey, email, ip);
    await log('failure', 401, user?.id ?? null, `email:${email}`);
    throw invalidCredentials();
  }
  if (account.status === 'closed' || account.status === 'purged') {
    await log('denied', 403, user.id, `user:${user.id}`);
    throw new DomainError('account.closed', { accountId: account.id }, { message: 'this account is closed' });
  }
  await deps.throttle.recordSuccess(throttleKey, email);

  const now = deps.now();
  const { token, hash } = issueToken('session');
  const expiresAt = new Date(now.getTime() + deps.options.session.absoluteMs);
  await deps.db.transaction(async (tx) => {
    await sessionsRepository.insert(
      tx,
      {
        id: randomUUID(),
        accountId: account.id,
        userId: user.id,
        createdAt: now,
        lastSeenAt: now,
        absoluteExpiresAt: expiresAt,
        endedAt: null,
        ip,
        userAgent,
      },
      hash,
    );
    await recordActivity(
      deps,
      {
        accountId: account.id,
        actorUserId: user.id,
        action: 'auth.login',
        target: `user:${user.id}`,
        occurredAt: now,
        ip,
        userAgent,
        result: 'success',
        statusCode: 200,
      },
      tx,
    );
  });
  const row = await usersRepository.staffRow(deps.db.pool, account.id, user.id);
  if (!row) throw invalidCredentials();
  return { token, expiresAt, user: row, account };
}
