import type { Request } from 'express';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { z } from 'zod';
import type { identityV1 } from '@crm/contracts';
import { DomainError, validationError, type FieldError } from '@crm/platform/errors';
import type { ServiceClients } from '../clients';
import { defineRoute } from '../http/route';
import { iso } from './staff.views';

const entryView = z.object({
  id: z.string(),
  actorUserId: z.uuid().nullable(),
  action: z.string().describe('e.g. auth.login, invitation.accept, staff.invite_staff'),
  target: z.string().describe('e.g. user:<id>; empty when the action was about nothing in particular'),
  occurredAt: z.iso.datetime().nullable(),
  ip: z.string(),
  userAgent: z.string(),
  result: z.enum(['success', 'failure', 'denied']),
  statusCode: z.number().int().nullable(),
});
const page = z.object({
  entries: z.array(entryView),
  next: z.string().nullable().describe('Pass as `before` for the next (older) page'),
});

const toView = (entry: identityV1.ActivityEntry): z.infer<typeof entryView> => ({
  id: entry.id,
  actorUserId: entry.actorUserId || null,
  action: entry.action,
  target: entry.target,
  occurredAt: iso(entry.occurredAt),
  ip: entry.ip,
  userAgent: entry.userAgent,
  result: entry.result as 'success',
  statusCode: entry.statusCode || null,
});

/** `from`, `to`, `action`, `limit` and `before` from the query string, with field errors for bad ones. */
function filters(req: Request) {
  const errors: FieldError[] = [];
  const text = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
  const date = (name: string) => {
    const value = text(name);
    if (value === undefined) return undefined;
    const parsed = new Date(value);
    if (Number.isNaN(parsed.getTime())) {
      errors.push({ field: name, message: `${name} must be an ISO 8601 date-time`, code: 'invalid_format' });
      return undefined;
    }
    return timestampFromDate(parsed);
  };
  const limitText = text('limit');
  const limit = limitText === undefined ? 100 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    errors.push({ field: 'limit', message: 'limit must be a whole number from 1 to 500', code: 'out_of_range' });
  const actor = text('actor');
  if (actor !== undefined && !z.uuid().safeParse(actor).success)
    errors.push({ field: 'actor', message: 'actor is a user id', code: 'invalid_format' });
  const result = {
    from: date('from'),
    to: date('to'),
    action: text('action') ?? '',
    beforeId: text('before') ?? '',
    limit,
    actorUserId: actor ?? '',
  };
  if (errors.length > 0) throw validationError(errors);
  return result;
}

const withNext = (entries: identityV1.ActivityEntry[], limit: number) => ({
  entries: entries.map(toView),
  next: entries.length === limit ? (entries.at(-1)?.id ?? null) : null,
});

const query = [
  'Filters: `actor` (user id), `action` (exact, or a prefix ending in "." such as `staff.`), `from`, `to` (ISO 8601),',
  '`limit` (1–500, default 100); `before` pages back. Newest first.',
].join(' ');

export const activityRoutes = (clients: ServiceClients) => [
  defineRoute({
    method: 'get',
    path: '/v1/activity',
    operationId: 'listActivity',
    summary: `The account's activity log: logins and every authenticated action. ${query}`,
    tag: 'Activity',
    access: { kind: 'permission', permission: 'staff.view' },
    responses: { 200: { description: 'One page of entries', schema: page }, 422: { description: 'Invalid filter' } },
    async handle({ principal, req }) {
      if (!principal) throw new DomainError('auth.unauthenticated');
      const filter = filters(req);
      const { entries } = await clients.identity.listActivity({ accountId: principal.accountId, ...filter });
      return { status: 200, body: withNext(entries, filter.limit) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/staff/:id/activity',
    operationId: 'listStaffActivity',
    summary: `One user's activity feed: what they did and what was done to them. ${query}`,
    tag: 'Activity',
    access: { kind: 'permission', permission: 'staff.view' },
    responses: {
      200: { description: 'One page of entries', schema: page },
      404: { description: 'No such user in this account' },
    },
    async handle({ principal, req, params }) {
      if (!principal) throw new DomainError('auth.unauthenticated');
      const { user } = await clients.identity.getStaff({
        accountId: principal.accountId,
        userId: z.uuid().safeParse(params.id).success ? (params.id ?? '') : '',
      });
      const filter = filters(req);
      const { entries } = await clients.identity.listActivity({
        accountId: principal.accountId,
        ...filter,
        aboutUserId: user?.id ?? '',
      });
      return { status: 200, body: withNext(entries, filter.limit) };
    },
  }),
];
