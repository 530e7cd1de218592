import type { Permission } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import { sessionsRepository } from '../adapters/sessions.repository';
import { hashToken, looksLikeToken, sameDigest } from '../domain/tokens';
import { effectivePermissions, type AccountStatus } from '../domain/user';
import type { IdentityDeps } from '../deps';

export interface Principal {
  accountId: string;
  userId: string;
  sessionId: string;
  accountStatus: AccountStatus;
  permissions: Permission[];
}

/** last_seen_at is written at most this often: idle expiry needs no finer grain, and reads stay reads. */
const TOUCH_EVERY_MS = 60_000;

/**
 * A session token → who is calling, read fresh on every request (a removal, a deactivation or a profile change
 * counts on the very next request). Ended, idle-expired and absolutely expired sessions, and sessions of users who
 * are not active, answer 401 with the same words.
 */
export async function authenticate(deps: IdentityDeps, token: string): Promise<Principal> {
  const refuse = () =>
    new DomainError('auth.unauthenticated', undefined, {
      message: 'the session is not valid (expired or ended): sign in again',
    });
  if (!looksLikeToken('session', token)) throw refuse();
  const digest = hashToken(token);
  const found = await sessionsRepository.findPrincipal(deps.db.pool, digest);
  const now = deps.now().getTime();
  if (
    !found ||
    !sameDigest(found.tokenHash, digest) ||
    found.endedAt !== null ||
    found.userStatus !== 'active' ||
    now >= found.absoluteExpiresAt.getTime() ||
    now - found.lastSeenAt.getTime() >= deps.options.session.idleMs
  ) {
    throw refuse();
  }
  if (now - found.lastSeenAt.getTime() >= TOUCH_EVERY_MS)
    await sessionsRepository.touch(deps.db.pool, found.accountId, found.sessionId, deps.now());
  return {
    accountId: found.accountId,
    userId: found.userId,
    sessionId: found.sessionId,
    accountStatus: found.accountStatus as AccountStatus,
    permissions: effectivePermissions({
      id: found.profileId,
      name: '',
      builtin: found.profileBuiltin,
      permissions: found.profilePermissions,
    }),
  };
}
