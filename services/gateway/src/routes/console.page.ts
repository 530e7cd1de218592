import { timestampDate } from '@bufbuild/protobuf/wkt';
import express, { type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import { isPermission, permissionCatalogue, type Permission } from '@crm/contracts';
import type { Logger } from '@crm/platform';
import { html, type SafeHtml } from '@crm/platform/mailer';
import type { ServiceClients } from '../clients';
import { recordAuthenticatedActivity, setActivityTarget } from '../http/activity-recorder';
import type { Principal, RouteAccess, RouteDefinition } from '../http/route';
import { SESSION_COOKIE } from '../http/session-auth';
import { originOf } from './auth.routes';
import { domainErrorOf, headers, page, sendProblem } from './invitations.page';
import { toAccountSummary, toStaffView, type StaffView } from './staff.views';

/**
 * The console's pages (API.md: "the console may use an HttpOnly cookie"), in the style of the invitation pages:
 * server-rendered HTML that works without JavaScript, every value escaped by the `html` tag, a strict CSP, no-store.
 *
 * - `GET|POST /login`: the sign-in form (the welcome email links to `/login?account=<slug>`); a success sets the
 *   session token in an HttpOnly, SameSite=Lax cookie and answers 303 to `/console`.
 * - `GET /console`: who you are, the account, your permissions by section; `POST /logout` signs out.
 * - `GET /console/staff/:id`: one staff member (the "X joined" email links here), with `staff.view`.
 *
 * The cookie is accepted here only, never by the /v1 JSON API. Forms that change something (`POST /login`,
 * `POST /logout`) are guarded against CSRF twice: the cookie is SameSite=Lax (a cross-site POST carries none), and the
 * request's Origin (else its Referer) must be the gateway's public origin; a request with neither is refused.
 */

/** A console page and who may open it, declared like every API route (`access`), enforced before `handle`. */
export interface PageDefinition {
  method: 'get' | 'post';
  path: string;
  access: RouteAccess;
  /** With `tag`, names the page's action in the activity log as the API's recorder does (`sessions.logout`). */
  operationId: string;
  tag: string;
  /** What the action is about, for the activity log (e.g. `user:<id>`). */
  target?: (req: Request) => string;
  handle(context: { req: Request; res: Response; principal?: Principal }): Promise<void>;
}

export interface ConsolePageDeps {
  clients: ServiceClients;
  logger: Logger;
  /** The gateway's public URL: the origin forms must come from, and https → a Secure cookie. */
  publicUrl: string;
  /** The console authenticator: the Authorization header, else the session cookie. */
  authenticate: (req: Request) => Promise<Principal>;
  /** Evicts cached principals after a sign-out (as the `changesAccess` API routes do). */
  accessChanged?: (caller: Principal | undefined) => void;
  now?: () => Date;
}

const uuid = z.uuid();

/** Where a sign-in may send the person back to: console pages only (never another site). */
const safeNext = (value: unknown): string =>
  typeof value === 'string' && /^\/console(\/[A-Za-z0-9_-]+)*$/.test(value) ? value : '/console';

const field = (body: Record<string, unknown>, name: string, max: number): string => {
  const value = body[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
};

/** The message of a wait, in words: "about 15 minutes", "45 seconds". */
export function waitInWords(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 90) return `${s} second${s === 1 ? '' : 's'}`;
  const minutes = Math.ceil(s / 60);
  return `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** The labels of a set of permissions, grouped by the catalogue's sections, in catalogue order. */
export function permissionsBySection(permissions: readonly string[]): { section: string; labels: string[] }[] {
  const held = new Set(permissions.filter(isPermission));
  const sections = new Map<string, string[]>();
  for (const [permission, entry] of Object.entries(permissionCatalogue) as [
    Permission,
    { section: string; label: string },
  ][]) {
    if (!held.has(permission)) continue;
    const labels = sections.get(entry.section) ?? [];
    labels.push(entry.label);
    sections.set(entry.section, labels);
  }
  return [...sections].map(([section, labels]) => ({ section, labels }));
}

export function renderLoginPage(
  form: { account?: string; email?: string; next?: string; error?: string } = {},
): string {
  const { error } = form;
  const described = error ? html`aria-describedby="form-error"` : '';
  return page(
    'Sign in',
    html`<h1>Sign in</h1>
      ${error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : ''}
      <form method="post" action="/login" novalidate>
        <input type="hidden" name="next" value="${safeNext(form.next)}" />
        <label for="account">Account</label>
        <input
          id="account"
          name="account"
          type="text"
          autocomplete="organization"
          required
          maxlength="80"
          value="${form.account ?? ''}"
          aria-describedby="account-hint"
          ${error ? html`aria-invalid="true"` : ''}
        />
        <p class="hint" id="account-hint">The account’s short name, as in the link of your welcome email.</p>
        <label for="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          maxlength="254"
          value="${form.email ?? ''}"
          ${described}
          ${error ? html`aria-invalid="true"` : ''}
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          maxlength="1024"
          ${described}
          ${error ? html`aria-invalid="true"` : ''}
        />
        <button type="submit">Sign in</button>
      </form>`,
  );
}

export function renderConsolePage(me: {
  user: StaffView;
  account: { name: string; slug: string; status: string };
  permissions: readonly string[];
}): string {
  const { user, account } = me;
  const sections = permissionsBySection(me.permissions);
  return page(
    `${account.name} — console`,
    html`<h1>${account.name}</h1>
      <p>
        Signed in as <strong>${user.firstName} ${user.lastName}</strong> (${user.email}), with the
        <strong>${user.profile.name}</strong> profile${user.isOwner ? ', owner of the account' : ''}.
      </p>
      <p>Account <strong>${account.slug}</strong>, status ${account.status}.</p>
      <h2>What you may do</h2>
      ${sections.length === 0
        ? html`<p>Your profile grants no permissions. Ask an administrator of the account.</p>`
        : sections.map(
            ({ section, labels }) =>
              html`<h3>${section}</h3>
                <ul>
                  ${labels.map((label) => html`<li>${label}</li>`)}
                </ul>`,
          )}
      <h2>More</h2>
      <p><a href="/docs">API reference</a></p>
      <form method="post" action="/logout">
        <button type="submit">Sign out</button>
      </form>`,
  );
}

export function renderStaffPage(member: StaffView): string {
  const name = `${member.firstName} ${member.lastName}`;
  const yesNo = (value: boolean) => (value ? 'yes' : 'no');
  return page(
    name,
    html`<p><a href="/console">← Console</a></p>
      <h1>${name}</h1>
      <dl>
        <dt>Email</dt>
        <dd>${member.email}</dd>
        <dt>Phone</dt>
        <dd>${member.phone}</dd>
        <dt>Status</dt>
        <dd>${member.status}${member.isOwner ? ' (owner of the account)' : ''}</dd>
        <dt>Permission profile</dt>
        <dd>${member.profile.name}</dd>
        <dt>In no round-robin calendar</dt>
        <dd>${yesNo(member.inNoCalendar)}</dd>
        <dt>In no pipeline</dt>
        <dd>${yesNo(member.inNoPipeline)}</dd>
      </dl>`,
  );
}

const plainPage = (res: Response, status: number, title: string, body: SafeHtml) =>
  res.status(status).set(headers).type('html').send(page(title, body));

const forbidden = (res: Response, permission: Permission) =>
  plainPage(
    res,
    403,
    'Not allowed',
    html`<h1>You may not see this page</h1>
      <p>
        It needs the permission “${permissionCatalogue[permission].label}”, which your profile does not grant. Ask an
        administrator of the account. <a href="/console">Back to the console</a>.
      </p>`,
  );

const staffNotFound = (res: Response) =>
  plainPage(
    res,
    404,
    'Not found',
    html`<h1>No such staff member</h1>
      <p>There is no one with this link in your account. <a href="/console">Back to the console</a>.</p>`,
  );

const clearCookie = `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`;

export function mountConsolePages(app: Express, deps: ConsolePageDeps): PageDefinition[] {
  const pages = consolePages(deps);
  const form = express.urlencoded({ extended: false, limit: '10kb' });
  // The activity log (PRODUCT.md §2) records a signed-in person's actions (sign-out) and refusals (403), as for the API.
  const recorder = recordAuthenticatedActivity(pages as unknown as RouteDefinition<never>[], deps.clients, deps.logger);
  for (const definition of pages) {
    const handler = async (req: Request, res: Response) => {
      let principal: Principal | undefined;
      const target = definition.target?.(req);
      if (target) setActivityTarget(res, target);
      try {
        if (definition.access.kind === 'authenticated' || definition.access.kind === 'permission') {
          try {
            principal = await deps.authenticate(req);
          } catch (error) {
            if (domainErrorOf(error)?.code !== 'auth.unauthenticated') throw error;
            // Not signed in (or the session ended): to the sign-in form, coming back here afterwards.
            if (req.get('cookie')?.includes(`${SESSION_COOKIE}=`)) res.append('Set-Cookie', clearCookie);
            const back = req.method === 'GET' ? safeNext(req.path) : '/console';
            const login = back === '/console' ? '/login' : `/login?next=${encodeURIComponent(back)}`;
            res.status(303).set(headers).location(login).end();
            return;
          }
          if (definition.access.kind === 'permission' && !principal.permissions.has(definition.access.permission)) {
            forbidden(res, definition.access.permission);
            return;
          }
        }
        if (definition.access.kind === 'operator') throw new Error('no console page is for operators');
        await definition.handle({ req, res, principal });
      } catch (error) {
        sendProblem(res, error, deps.logger, req.path);
      }
    };
    if (definition.method === 'post') app.post(definition.path, recorder, form, handler);
    else app.get(definition.path, recorder, handler);
  }
  return pages;
}

/** The console's pages with their access; `mountConsolePages` enforces it, the route-access test reads it. */
export function consolePages(deps: ConsolePageDeps): PageDefinition[] {
  const now = deps.now ?? (() => new Date());
  const publicOrigin = new URL(deps.publicUrl).origin;
  const secure = new URL(deps.publicUrl).protocol === 'https:';

  /** CSRF guard: the form was sent from one of the gateway's own pages (Origin, else Referer). */
  const sameOrigin = (req: Request): boolean => {
    const claimed = req.get('origin') || req.get('referer');
    if (!claimed || claimed === 'null') return false;
    try {
      return new URL(claimed).origin === publicOrigin;
    } catch {
      return false;
    }
  };
  const foreignForm = (res: Response) =>
    plainPage(
      res,
      403,
      'Form refused',
      html`<h1>This form was not sent from this site</h1>
        <p>
          For your safety we only accept it from our own sign-in page. <a href="/login">Open the sign-in page</a>.
        </p>`,
    );

  return [
    {
      method: 'get',
      path: '/login',
      operationId: 'signInPage',
      tag: 'Console',
      access: { kind: 'public' },
      async handle({ req, res }) {
        const account = typeof req.query.account === 'string' ? req.query.account.slice(0, 80) : '';
        res
          .status(200)
          .set(headers)
          .type('html')
          .send(renderLoginPage({ account, next: String(req.query.next ?? '') }));
      },
    },
    {
      method: 'post',
      path: '/login',
      operationId: 'signIn',
      tag: 'Console',
      access: { kind: 'public' },
      async handle({ req, res }) {
        if (!sameOrigin(req)) return void foreignForm(res);
        const body = (req.body ?? {}) as Record<string, unknown>;
        const account = field(body, 'account', 80).trim();
        const email = field(body, 'email', 254).trim();
        const password = field(body, 'password', 1024);
        const next = safeNext(body.next);
        const again = (status: number, error: string) =>
          res.status(status).set(headers).type('html').send(renderLoginPage({ account, email, next, error }));
        if (!account || !email || !password)
          return void again(422, 'Fill in the account, your email and your password.');
        try {
          const session = await deps.clients.identity.login({ account, email, password, origin: originOf(req) });
          const expiresAt = session.expiresAt ? timestampDate(session.expiresAt).getTime() : now().getTime();
          const maxAge = Math.max(0, Math.floor((expiresAt - now().getTime()) / 1000));
          const cookie = [
            `${SESSION_COOKIE}=${session.token}`,
            'Path=/',
            `Max-Age=${maxAge}`,
            'HttpOnly',
            'SameSite=Lax',
            ...(secure ? ['Secure'] : []),
          ].join('; ');
          res.status(303).set(headers).append('Set-Cookie', cookie).location(next).end();
        } catch (error) {
          const domain = domainErrorOf(error);
          if (domain?.code === 'identity.invalid_credentials')
            return void again(401, 'The account, email or password is not right. Check them and try again.');
          if (domain?.code === 'auth.rate_limited') {
            const seconds = Number(domain.details?.retryAfterSeconds ?? 60);
            res.set('Retry-After', String(Math.ceil(seconds)));
            return void again(
              429,
              `Too many failed sign-in attempts. For your safety, wait ${waitInWords(seconds)} and try again.`,
            );
          }
          if (domain?.code === 'account.closed')
            return void again(403, 'This account is closed. Contact the account’s owner or our support.');
          if (domain?.code === 'validation.failed')
            return void again(422, 'The account, email or password is not right. Check them and try again.');
          throw error;
        }
      },
    },
    {
      method: 'post',
      path: '/logout',
      operationId: 'logout',
      tag: 'Sessions',
      access: { kind: 'authenticated' },
      async handle({ req, res, principal }) {
        if (!sameOrigin(req)) return void foreignForm(res);
        const { accountId, userId, sessionId } = principal as Principal;
        await deps.clients.identity.logout({ accountId, userId, sessionId: sessionId ?? '' });
        deps.accessChanged?.(principal);
        res.status(303).set(headers).append('Set-Cookie', clearCookie).location('/login').end();
      },
    },
    {
      method: 'get',
      path: '/console',
      operationId: 'consoleHome',
      tag: 'Console',
      access: { kind: 'authenticated' },
      async handle({ res, principal }) {
        const { accountId, userId } = principal as Principal;
        const me = await deps.clients.identity.getMe({ accountId, userId });
        res
          .status(200)
          .set(headers)
          .type('html')
          .send(
            renderConsolePage({
              user: toStaffView(me.user),
              account: toAccountSummary(me.account),
              permissions: me.permissions,
            }),
          );
      },
    },
    {
      method: 'get',
      path: '/console/staff/:id',
      operationId: 'getStaff',
      tag: 'Staff',
      target: (req) => `user:${String(req.params.id ?? '')}`,
      access: { kind: 'permission', permission: 'staff.view' },
      async handle({ req, res, principal }) {
        const id = String(req.params.id ?? '');
        if (!uuid.safeParse(id).success) return void staffNotFound(res);
        try {
          const { user } = await deps.clients.identity.getStaff({
            accountId: (principal as Principal).accountId,
            userId: id,
          });
          res
            .status(200)
            .set(headers)
            .type('html')
            .send(renderStaffPage(toStaffView(user)));
        } catch (error) {
          if (domainErrorOf(error)?.code === 'resource.not_found') return void staffNotFound(res);
          throw error;
        }
      },
    },
  ];
}
