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
  profileId: string;
  permissions: Permission[];
  /** When the session stops working unless it is used again: the earlier of idle and absolute expiry. */
  expiresAt: Date;
}

/** last_seen_at is written at most this often: idle expiry needs no finer grain, and reads stay reads. */
const TOUCH_EVERY_MS = 60_000;

/**
 * A session token → who is calling, read fresh on every call. The gateway keeps the answer for a moment (its
 * principal cache, evicted by identity.permissions.changed.v1 and the user and account events; docs/architecture.md). Ended, idle-expired and absolutely expired sessions, and sessions of users who
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
  let lastSeen = found.lastSeenAt.getTime();
  if (now - lastSeen >= TOUCH_EVERY_MS) {
    await sessionsRepository.touch(deps.db.pool, found.accountId, found.sessionId, new Date(now));
    lastSeen = now;
  }
  return {
    accountId: found.accountId,
    userId: found.userId,
    sessionId: found.sessionId,
    accountStatus: found.accountStatus as AccountStatus,
    profileId: found.profileId,
    expiresAt: new Date(Math.min(found.absoluteExpiresAt.getTime(), lastSeen + deps.options.session.idleMs)),
    permissions: effectivePermissions({
      id: found.profileId,
      name: '',
      builtin: found.profileBuiltin,
      permissions: found.profilePermissions,
    }),
  };
}
