import type { Request, RequestHandler } from 'express';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { Logger } from '@crm/platform';
import type { ServiceClients } from '../clients';
import type { RouteDefinition } from './route';
import { principalOf } from './session-auth';

/** A handler may name what its action was about when the URL does not (e.g. the user a POST created). */
export const setActivityTarget = (res: { locals: Record<string, unknown> }, target: string) => {
  res.locals.activityTarget = target;
};

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** `staff` + `inviteStaff` → `staff.invite_staff`: the route's tag and operation id, as an activity action. */
export const activityAction = (route: Pick<RouteDefinition, 'tag' | 'operationId'>) =>
  `${snake(route.tag).replace(/[^a-z0-9_]/g, '_')}.${snake(route.operationId)}`;

/**
 * Records every authenticated action in the account's activity log (PRODUCT.md §2): when the response is finished,
 * the actor, the action (from the route table), its target, the time, IP, user agent and result. Reads (GET, and
 * routes marked `readOnly` such as the authorization check) are not actions and are not recorded, except when they
 * were denied. Logins and invitation acceptances are recorded
 * by identity itself (they have no principal yet). Recording never delays or fails the response: a failure is logged.
 */
export function recordAuthenticatedActivity(
  routes: RouteDefinition<never>[],
  clients: Pick<ServiceClients, 'identity'>,
  logger: Logger,
): RequestHandler {
  const byKey = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
  return (req, res, next) => {
    res.on('finish', () => {
      const principal = principalOf(req);
      const route = req.route?.path ? byKey.get(`${req.method.toLowerCase()} ${String(req.route.path)}`) : undefined;
      if (!principal || !route) return;
      const denied = res.statusCode === 401 || res.statusCode === 403;
      if ((req.method === 'GET' || route.readOnly) && !denied) return;
      clients.identity
        .recordActivity({
          entry: {
            accountId: principal.accountId,
            actorUserId: principal.userId,
            action: activityAction(route),
            target: targetOf(req, res.locals.activityTarget),
            occurredAt: timestampFromDate(new Date()),
            ip: req.ip ?? '',
            userAgent: req.get('user-agent') ?? '',
            result: denied ? 'denied' : res.statusCode < 400 ? 'success' : 'failure',
            statusCode: res.statusCode,
          },
        })
        .catch((error: unknown) => logger.error({ err: error, path: req.originalUrl }, 'activity not recorded'));
    });
    next();
  };
}

function targetOf(req: Request, explicit: unknown): string {
  if (typeof explicit === 'string') return explicit;
  const id = (req.params as Record<string, string | undefined>).id;
  if (!id) return '';
  if (req.path.startsWith('/v1/staff/')) return `user:${id}`;
  if (req.path.startsWith('/v1/auth/sessions/')) return `session:${id}`;
  if (req.path.startsWith('/v1/permission-profiles/')) return `profile:${id}`;
  return id;
}
