import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { Request } from 'express';
import { isPermission, type Permission } from '@crm/contracts';
import { accountStatusName } from '../routes/account-status.view';
import { DomainError } from '@crm/platform/errors';
import type { ServiceClients } from '../clients';
import { bearerToken } from './operator-auth';
import type { Principal } from './route';

/** The console's session cookie (set by `POST /login`, HttpOnly, SameSite=Lax). */
export const SESSION_COOKIE = 'crm_session';

/** The session token in the request's `crm_session` cookie, or undefined. */
export function sessionCookie(req: Request): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === SESSION_COOKIE) {
      const value = part.slice(at + 1).trim();
      return value.length > 0 ? value : undefined;
    }
  }
  return undefined;
}

export interface CredentialOptions {
  /**
   * Whether the session cookie counts: only for the console's HTML pages, never for the /v1 JSON API (a cookie
   * rides along on cross-site requests; a bearer header never does, so the API stays out of CSRF's reach).
   */
  acceptCookie?: boolean;
}

/** The request's session credential: the Authorization header wins; the cookie only where `acceptCookie`. */
export const credentialOf = (req: Request, options: CredentialOptions = {}): string | undefined =>
  bearerToken(req) ?? (options.acceptCookie ? sessionCookie(req) : undefined);

/** Where the principal of an authenticated request is kept for the rest of the request (activity log). */
export const principalOf = (req: Request): Principal | undefined =>
  (req as Request & { principal?: Principal }).principal;

export const attachPrincipal = (req: Request, principal: Principal): void => {
  (req as Request & { principal?: Principal }).principal = principal;
};

/**
 * Resolves `Authorization: Bearer <token>` to a principal through identity. main.ts puts the principal cache in
 * front of it (principal-cache.ts: reused ≤ 1 s, evicted by identity.permissions.changed.v1 and the user and
 * account events, and at once by this instance's own access-changing requests).
 *
 * Session tokens start with `ses_`. API keys (`<prefix>_<key id>_<secret>`, PRODUCT.md §7) are the other kind of
 * bearer token: their issue adds a branch here that asks identity to resolve the key; until then any other token
 * is refused like an unknown session.
 *
 * With `acceptCookie` (the console pages only), a request without an Authorization header may present the session
 * token in the `crm_session` cookie instead.
 */
export function sessionAuthenticator(
  clients: Pick<ServiceClients, 'identity'>,
  options: CredentialOptions = {},
): (req: Request) => Promise<Principal> {
  return async (req) => {
    const token = credentialOf(req, options);
    if (!token)
      throw new DomainError('auth.unauthenticated', undefined, {
        message: 'sign in first: send Authorization: Bearer <session token>',
      });
    if (!token.startsWith('ses_'))
      throw new DomainError('auth.unauthenticated', undefined, { message: 'the token is not valid: sign in again' });
    const { principal } = await clients.identity.authenticate({ token });
    if (!principal) throw new DomainError('auth.unauthenticated');
    const resolved: Principal = {
      kind: 'user',
      accountId: principal.accountId,
      userId: principal.userId,
      sessionId: principal.sessionId,
      profileId: principal.profileId,
      expiresAt: principal.expiresAt ? timestampDate(principal.expiresAt) : undefined,
      permissions: new Set(principal.permissions.filter(isPermission) as Permission[]),
      accountStatus: accountStatusName(principal.accountStatus) ?? 'active',
    };
    attachPrincipal(req, resolved);
    return resolved;
  };
}
