import { Router, type Request } from 'express';
import { parseBody } from './validation';
import { requireOperator } from './operator-auth';
import type { RouteAccess, RouteDefinition } from './route';

export interface AccessSettings {
  operatorToken: string;
}

function authorize(access: RouteAccess, req: Request, settings: AccessSettings): void {
  switch (access.kind) {
    case 'public':
      return;
    case 'operator':
      return requireOperator(req, settings.operatorToken);
  }
}

/** Mounts the route table: access check first, then body validation, then the handler. */
export function mountRoutes(routes: RouteDefinition<never>[], settings: AccessSettings): Router {
  const router = Router();
  for (const route of routes) {
    router[route.method](route.path, async (req, res) => {
      authorize(route.access, req, settings);
      const body = route.body ? parseBody(route.body, req.body) : (undefined as never);
      const result = await route.handle({ req, res, body, params: req.params as Record<string, string> });
      res.status(result.status).set(result.headers ?? {});
      if (result.body === undefined) res.end();
      else res.json(result.body);
    });
  }
  return router;
}
