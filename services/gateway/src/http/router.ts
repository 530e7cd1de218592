import { Router, type Request } from 'express';
import { DomainError } from '@crm/platform/errors';
import { parseBody } from './validation';
import { requireOperator } from './operator-auth';
import type { Principal, RouteAccess, RouteDefinition } from './route';

export interface AccessSettings {
  operatorToken: string;
  /** Resolves the request's bearer token (session or API key) to its principal; throws auth.unauthenticated. */
  authenticate: (req: Request) => Promise<Principal>;
  /**
   * Called after a `changesAccess` route succeeded, before the answer leaves: the principal cache evicts what it
   * holds for the caller's account (everything when the route has no caller, e.g. a password reset).
   */
  accessChanged?: (caller: Principal | undefined) => void;
}

async function authorize(access: RouteAccess, req: Request, settings: AccessSettings): Promise<Principal | undefined> {
  switch (access.kind) {
    case 'public':
      return undefined;
    case 'operator':
      requireOperator(req, settings.operatorToken);
      return undefined;
    case 'authenticated':
      return settings.authenticate(req);
    case 'permission': {
      const principal = await settings.authenticate(req);
      if (!principal.permissions.has(access.permission)) {
        throw new DomainError('auth.forbidden', { permission: access.permission }, { message: `this needs the ${access.permission} permission` });
      }
      return principal;
    }
  }
}

/** Mounts the route table: access check first, then body validation, then the handler. */
export function mountRoutes(routes: RouteDefinition<never>[], settings: AccessSettings): Router {
  const router = Router();
  for (const route of routes) {
    router[route.method](route.path, async (req, res) => {
      const principal = await authorize(route.access, req, settings);
      const body = route.body ? parseBody(route.body, req.body) : (undefined as never);
      const result = await route.handle({ req, res, body, params: req.params as Record<string, string>, principal });
      if (route.changesAccess && result.status < 400) settings.accessChanged?.(principal);
      res.status(result.status).set(result.headers ?? {});
      // A Buffer is a document (e.g. an invoice PDF) whose Content-Type the handler sets; anything else is JSON.
      if (result.body === undefined) res.end();
      else if (Buffer.isBuffer(result.body)) res.send(result.body);
      else res.json(result.body);
    });
  }
  return router;
}
