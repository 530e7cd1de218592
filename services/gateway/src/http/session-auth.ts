import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { Request } from 'express';
import { isPermission, type Permission } from '@crm/contracts';
import { accountStatusName } from '../routes/account-status.view';
import { DomainError } from '@crm/platform/errors';
import type { ServiceClients } from '../clients';
import { bearerToken } from './operator-auth';
import type { Principal } from './route';


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
 */
export function sessionAuthenticator(clients: Pick<ServiceClients, 'identity'>): (req: Request) => Promise<Principal> {
  return async (req) => {
    const token = bearerToken(req);
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
