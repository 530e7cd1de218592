import { DomainError } from '@crm/platform/errors';
import { sessionsRepository, type Session } from '../adapters/sessions.repository';
import type { IdentityDeps } from '../deps';

// The three small session use cases of API.md (logout, list own sessions, revoke one), together.

export async function logout(
  deps: IdentityDeps,
  command: { accountId: string; userId: string; sessionId: string },
): Promise<void> {
  await sessionsRepository.end(
    deps.db.pool,
    command.accountId,
    command.userId,
    command.sessionId,
    'logout',
    deps.now(),
  );
}

export async function listSessions(
  deps: IdentityDeps,
  command: { accountId: string; userId: string },
): Promise<Session[]> {
  return sessionsRepository.listOpen(
    deps.db.pool,
    command.accountId,
    command.userId,
    deps.now(),
    deps.options.session.idleMs,
  );
}

/** Ends one of the caller's own sessions; another user's session id is not found. */
export async function revokeSession(
  deps: IdentityDeps,
  command: { accountId: string; userId: string; sessionId: string },
): Promise<void> {
  const ended = /^[0-9a-f-]{36}$/i.test(command.sessionId)
    ? await sessionsRepository.end(
        deps.db.pool,
        command.accountId,
        command.userId,
        command.sessionId,
        'revoked',
        deps.now(),
      )
    : false;
  if (!ended)
    throw new DomainError('resource.not_found', { sessionId: command.sessionId }, { message: 'no such open session' });
}
