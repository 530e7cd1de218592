import { DomainError } from '@crm/platform/errors';
import { accountsRepository } from '../adapters/accounts.repository';
import { credentialsRepository } from '../adapters/credentials.repository';
import { passwordResetsRepository } from '../adapters/password-resets.repository';
import { sessionsRepository } from '../adapters/sessions.repository';
import { usersRepository } from '../adapters/users.repository';
import { assertAcceptablePassword } from '../domain/password-policy';
import { hashToken, issueToken, looksLikeToken } from '../domain/tokens';
import type { IdentityDeps } from '../deps';
import { recordActivity } from './record-activity';
import type { RequestOrigin } from './request-origin';

/**
 * Forgot-password: when the account has an active user with this email, a single-use link valid for
 * IDENTITY_PASSWORD_RESET_EXPIRY is emailed. The caller always gets the same answer, and the email goes out after
 * the answer, so neither words nor timing tell whether the address is known.
 */
export async function requestPasswordReset(
  deps: IdentityDeps,
  command: { account: string; email: string; origin: RequestOrigin },
): Promise<void> {
  const account = await accountsRepository.findBySlugOrId(deps.db.pool, command.account);
  const user = account && (await usersRepository.findByEmail(deps.db.pool, account.id, command.email));
  if (!account || !user || user.status !== 'active') return;
  const now = deps.now();
  const { token, hash } = issueToken('password_reset');
  const expiresAt = new Date(now.getTime() + deps.options.passwordResetMs);
  await deps.db.transaction(async (tx) => {
    await passwordResetsRepository.insert(
      tx,
      { accountId: account.id, userId: user.id, createdAt: now, expiresAt, usedAt: null },
      hash,
    );
    await recordActivity(
      deps,
      {
        accountId: account.id,
        actorUserId: user.id,
        action: 'auth.password_reset_requested',
        target: `user:${user.id}`,
        occurredAt: now,
        ip: command.origin.ip,
        userAgent: command.origin.userAgent,
        result: 'success',
        statusCode: 202,
      },
      tx,
    );
  });
  void deps.mailer
    .send({
      to: user.email,
      template: 'password-reset',
      data: {
        accountName: account.name,
        firstName: user.firstName,
        resetUrl: `${deps.options.publicUrl}/reset-password/${token}`,
        expiresAt,
        timeZone: account.timezone,
      },
      idempotencyKey: `password-reset:${hash.toString('hex').slice(0, 32)}`,
    })
    .catch((error: unknown) =>
      deps.logger.error({ err: error, accountId: account.id }, 'password reset email not sent'),
    );
}

const invalidLink = () =>
  new DomainError('identity.reset_token_invalid', undefined, {
    message: 'this password reset link is no longer valid: ask for a new one',
  });

/** Sets the new password from a reset link; the link dies, and so does every session of the user. */
export async function resetPassword(
  deps: IdentityDeps,
  command: { token: string; password: string; origin: RequestOrigin },
): Promise<void> {
  if (!looksLikeToken('password_reset', command.token)) throw invalidLink();
  const digest = hashToken(command.token);
  const usable = async (db: Parameters<typeof passwordResetsRepository.lockByToken>[0]) => {
    const reset = await passwordResetsRepository.lockByToken(db, digest);
    if (!reset || reset.usedAt || reset.expiresAt.getTime() <= deps.now().getTime()) throw invalidLink();
    const user = await usersRepository.findById(db, reset.accountId, reset.userId);
    if (!user || user.status !== 'active') throw invalidLink();
    return user;
  };
  const user = await deps.db.transaction((tx) => usable(tx));
  assertAcceptablePassword(command.password, { email: user.email });
  const passwordHash = await deps.passwords.hash(command.password);
  await deps.db.transaction(async (tx) => {
    await usable(tx);
    const now = deps.now();
    await credentialsRepository.save(tx, user.accountId, user.id, passwordHash, now);
    await passwordResetsRepository.useAllForUser(tx, user.accountId, user.id, now);
    await sessionsRepository.endAllForUser(tx, user.accountId, user.id, 'password_reset', now);
    await recordActivity(
      deps,
      {
        accountId: user.accountId,
        actorUserId: user.id,
        action: 'auth.password_reset',
        target: `user:${user.id}`,
        occurredAt: now,
        ip: command.origin.ip,
        userAgent: command.origin.userAgent,
        result: 'success',
        statusCode: 200,
      },
      tx,
    );
  });
}
