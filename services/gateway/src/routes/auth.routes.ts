import type { Request } from 'express';
import { z } from 'zod';
import { DomainError } from '@crm/platform/errors';
import type { ServiceClients } from '../clients';
import { defineRoute, type Principal } from '../http/route';
import { accountSummaryView, iso, staffView, toAccountSummary, toStaffView } from './staff.views';

/** The caller's address and software, for identity's throttling and activity log. */
export const originOf = (req: Request) => ({ ip: req.ip ?? '', userAgent: req.get('user-agent') ?? '' });

const signedIn = (principal: Principal | undefined): Principal => {
  if (!principal) throw new DomainError('auth.unauthenticated');
  return principal;
};

const password = z.string().min(1).max(1024);
const uuidParam = z.uuid();

const sessionView = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime().nullable(),
  lastSeenAt: z.iso.datetime().nullable(),
  expiresAt: z.iso
    .datetime()
    .nullable()
    .describe('The earlier of idle expiry (if unused until then) and absolute expiry'),
  ip: z.string(),
  userAgent: z.string(),
  current: z.boolean(),
});

export const authRoutes = (clients: ServiceClients) => [
  defineRoute({
    method: 'post',
    path: '/v1/auth/login',
    operationId: 'login',
    summary: 'Sign in with email and password; answers an opaque session token',
    tag: 'Sessions',
    access: { kind: 'public' },
    body: z
      .object({
        account: z.string().trim().min(1).max(80).describe('The account slug or id'),
        email: z.string().trim().min(3).max(254),
        password,
      })
      .strict(),
    responses: {
      200: {
        description:
          'Signed in. Send the token as `Authorization: Bearer <token>`; it ends after an idle period or at expiresAt.',
        schema: z.object({
          token: z.string(),
          expiresAt: z.iso.datetime(),
          user: staffView,
          account: accountSummaryView,
        }),
      },
      401: { description: 'The account, email or password is not right (the same answer for each)' },
      429: { description: 'Too many failed attempts for this email or from this address; see Retry-After' },
    },
    async handle({ body, req }) {
      const session = await clients.identity.login({ ...body, origin: originOf(req) });
      return {
        status: 200,
        body: {
          token: session.token,
          expiresAt: iso(session.expiresAt),
          user: toStaffView(session.user),
          account: toAccountSummary(session.account),
        },
        headers: { 'Cache-Control': 'no-store' },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/auth/logout',
    operationId: 'logout',
    summary: 'End the current session',
    tag: 'Sessions',
    access: { kind: 'authenticated' },
    changesAccess: true,
    responses: { 204: { description: 'Signed out' } },
    async handle({ principal }) {
      const { accountId, userId, sessionId } = signedIn(principal);
      await clients.identity.logout({ accountId, userId, sessionId: sessionId ?? '' });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/me',
    operationId: 'getMe',
    summary: 'The signed-in user, their account (with its status) and their effective permissions',
    tag: 'Sessions',
    access: { kind: 'authenticated' },
    responses: {
      200: {
        description: 'Who you are',
        schema: z.object({ user: staffView, account: accountSummaryView, permissions: z.array(z.string()) }),
      },
    },
    async handle({ principal }) {
      const { accountId, userId } = signedIn(principal);
      const me = await clients.identity.getMe({ accountId, userId });
      return {
        status: 200,
        body: { user: toStaffView(me.user), account: toAccountSummary(me.account), permissions: me.permissions },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/auth/sessions',
    operationId: 'listSessions',
    summary: 'Your open sessions (the one making this request is `current`)',
    tag: 'Sessions',
    access: { kind: 'authenticated' },
    responses: {
      200: {
        description: 'Open sessions, most recently used first',
        schema: z.object({ sessions: z.array(sessionView) }),
      },
    },
    async handle({ principal }) {
      const { accountId, userId, sessionId } = signedIn(principal);
      const { sessions } = await clients.identity.listSessions({
        accountId,
        userId,
        currentSessionId: sessionId ?? '',
      });
      return {
        status: 200,
        body: {
          sessions: sessions.map((session) => ({
            id: session.id,
            createdAt: iso(session.createdAt),
            lastSeenAt: iso(session.lastSeenAt),
            expiresAt: iso(session.expiresAt),
            ip: session.ip,
            userAgent: session.userAgent,
            current: session.current,
          })),
        },
      };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/auth/sessions/:id',
    operationId: 'revokeSession',
    summary: 'End one of your sessions (e.g. a lost device)',
    tag: 'Sessions',
    access: { kind: 'authenticated' },
    changesAccess: true,
    responses: { 204: { description: 'Ended' }, 404: { description: 'No such open session of yours' } },
    async handle({ principal, params }) {
      const { accountId, userId } = signedIn(principal);
      if (!uuidParam.safeParse(params.id).success)
        throw new DomainError('resource.not_found', undefined, { message: 'no such open session' });
      await clients.identity.revokeSession({ accountId, userId, sessionId: params.id ?? '' });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/auth/password-reset',
    operationId: 'requestPasswordReset',
    summary: 'Email a password reset link (always 202: the answer does not say whether the email is known)',
    tag: 'Sessions',
    access: { kind: 'public' },
    body: z.object({ account: z.string().trim().min(1).max(80), email: z.string().trim().min(3).max(254) }).strict(),
    responses: { 202: { description: 'If the account has an active user with this email, a link is on its way' } },
    async handle({ body, req }) {
      await clients.identity.requestPasswordReset({ ...body, origin: originOf(req) });
      return { status: 202 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/auth/password-reset/:token',
    operationId: 'resetPassword',
    summary: 'Set a new password with the link from the reset email; every session of the user ends',
    tag: 'Sessions',
    access: { kind: 'public' },
    changesAccess: true,
    body: z.object({ password }).strict(),
    responses: {
      204: { description: 'The password is changed: sign in with it' },
      410: { description: 'The link is used, expired or unknown' },
      422: { description: 'The password is too short, too long or too common' },
    },
    async handle({ body, params, req }) {
      await clients.identity.resetPassword({
        token: params.token ?? '',
        password: body.password,
        origin: originOf(req),
      });
      return { status: 204 };
    },
  }),
];
