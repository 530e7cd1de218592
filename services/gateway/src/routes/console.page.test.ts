import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AccountStatus } from '@crm/contracts';
import { createLogger } from '@crm/platform';
import { DomainError } from '@crm/platform/errors';
import { createGatewayApp } from '../app';
import type { ServiceClients } from '../clients';
import { sessionAuthenticator } from '../http/session-auth';
import { permissionsBySection, renderConsolePage, renderLoginPage, renderStaffPage, waitInWords } from './console.page';

const ACCOUNT = '5b0c3c1e-7a6f-4c53-9d57-0f4a7c1a0001';
const ME = '5b0c3c1e-7a6f-4c53-9d57-0f4a7c1a0002';
const OTHER = '5b0c3c1e-7a6f-4c53-9d57-0f4a7c1a0003';

const member = (id: string, firstName: string) => ({
  id,
  firstName,
  lastName: 'Hopper',
  email: 'grace@acme.test',
  phone: '+13125550123',
  profile: { id: 'admin', name: 'Admin' },
  status: 'active',
  isOwner: id === ME,
  inNoCalendar: true,
  inNoPipeline: false,
});

/** The gateway with an identity service that knows one session token, `ses_good`, holding `permissions`. */
async function aGateway(
  options: { permissions?: string[]; publicUrl?: string; identity?: Partial<ServiceClients['identity']> } = {},
) {
  const calls: { method: string; request: unknown }[] = [];
  const permissions = options.permissions ?? ['staff.view', 'billing.view', 'contacts.view'];
  const identity = {
    authenticate: async ({ token }: { token: string }) => {
      if (token !== 'ses_good') throw new DomainError('auth.unauthenticated');
      return {
        principal: {
          accountId: ACCOUNT,
          userId: ME,
          sessionId: 'sess-1',
          profileId: 'admin',
          permissions,
          accountStatus: AccountStatus.ACTIVE,
        },
      };
    },
    login: async (request: { password: string }) => {
      calls.push({ method: 'login', request });
      if (request.password === 'too many') throw new DomainError('auth.rate_limited', { retryAfterSeconds: 840 });
      if (request.password !== 'right password')
        throw new DomainError('identity.invalid_credentials', undefined, {
          message: 'the account, email or password is not right',
        });
      return { token: 'ses_good', expiresAt: timestampFromDate(new Date(Date.now() + 3_600_000)) };
    },
    recordActivity: async ({ entry }: { entry: { action: string; target: string; result: string } }) => {
      calls.push({
        method: 'recordActivity',
        request: { action: entry.action, target: entry.target, result: entry.result },
      });
      return {};
    },
    logout: async (request: unknown) => {
      calls.push({ method: 'logout', request });
      return {};
    },
    getMe: async () => ({
      user: member(ME, '<script>alert(1)</script>'),
      account: { id: ACCOUNT, slug: 'acme-dental', name: 'Acme & Sons', status: AccountStatus.ACTIVE },
      permissions,
    }),
    getStaff: async ({ userId }: { userId: string }) => {
      if (userId !== OTHER) throw new DomainError('resource.not_found', undefined, { message: 'no such user' });
      return { user: member(OTHER, '<b>Grace</b>') };
    },
    ...options.identity,
  };
  const clients = { identity, account: {}, billing: {} } as unknown as ServiceClients;
  const app = createGatewayApp({
    clients,
    operatorToken: 'operator-token-0123456789',
    authenticate: sessionAuthenticator(clients),
    authenticateConsole: sessionAuthenticator(clients, { acceptCookie: true }),
    publicUrl: options.publicUrl ?? 'http://127.0.0.1',
    logger: createLogger({ service: 'gateway-test', level: 'silent' }),
    readinessChecks: [],
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { redirect: 'manual', ...init });
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1', ...headers },
      body: new URLSearchParams(form),
    });
  return { base, calls, call, post, close: () => new Promise((resolve) => server.close(resolve)) };
}

const cookie = { cookie: 'crm_session=ses_good' };

/** Waits (≤ 2 s) until `done` holds: the activity log is written once the response has finished. */
async function until(done: () => boolean) {
  for (const deadline = Date.now() + 2_000; !done() && Date.now() < deadline; )
    await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the console page renderers', () => {
  it('escape every value, a name like <script> included', () => {
    const console = renderConsolePage({
      user: {
        ...member(ME, '<script>alert(1)</script>'),
        createdAt: null,
        activatedAt: null,
        invitation: null,
      } as never,
      account: { name: 'Acme & <Sons>', slug: 'acme', status: 'active' },
      permissions: ['staff.view'],
    });
    const staff = renderStaffPage({ ...member(OTHER, '<script>x</script>') } as never);
    const login = renderLoginPage({ account: '"><script>y</script>', email: 'a@b.test' });

    for (const page of [console, staff, login]) expect(page).not.toContain('<script');
    expect(console).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(console).toContain('Acme &amp; &lt;Sons&gt;');
    expect(staff).toContain('&lt;script&gt;x&lt;/script&gt; Hopper');
    expect(login).toContain('value="&quot;&gt;&lt;script&gt;y&lt;/script&gt;"');
  });

  it('groups permissions by the catalogue’s sections, with its labels', () => {
    expect(permissionsBySection(['staff.view', 'contacts.view', 'billing.view', 'not.a.permission'])).toEqual([
      { section: 'Contacts', labels: ['View contacts'] },
      { section: 'Settings', labels: ['View staff', 'View billing, plan and invoices'] },
    ]);
  });

  it('says a wait in words', () => {
    expect(waitInWords(1)).toBe('1 second');
    expect(waitInWords(45)).toBe('45 seconds');
    expect(waitInWords(840)).toBe('about 14 minutes');
  });
});

describe('the console pages', () => {
  it('shows a labelled sign-in form, the account prefilled, that works without JavaScript', async () => {
    const gateway = await aGateway();
    try {
      const response = await gateway.call('/login?account=acme-dental');
      const page = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-security-policy')).toContain("form-action 'self'");
      expect(page).toContain('<form method="post" action="/login"');
      expect(page).toContain('<label for="account">Account</label>');
      expect(page).toContain('<label for="email">Email</label>');
      expect(page).toContain('<label for="password">Password</label>');
      expect(page).toMatch(/id="account"[^>]*value="acme-dental"/);
      expect(page).toMatch(/autocomplete="current-password"/);
      expect(page).not.toContain('<script');
    } finally {
      await gateway.close();
    }
  });

  it('signs in: 303 to /console with an HttpOnly, SameSite=Lax session cookie (Secure only on https)', async () => {
    const gateway = await aGateway();
    const secure = await aGateway({ publicUrl: 'https://crm.example' });
    try {
      const form = { account: 'acme-dental', email: 'grace@acme.test', password: 'right password' };
      const response = await gateway.post('/login', form);
      const overHttps = await secure.post('/login', form, { origin: 'https://crm.example' });

      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/console');
      const setCookie = response.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^crm_session=ses_good; Path=\/; Max-Age=(359\d|3600); HttpOnly; SameSite=Lax$/);
      const back = await gateway.post('/login', { ...form, next: `/console/staff/${OTHER}` });
      const offsite = await gateway.post('/login', { ...form, next: '//evil.example/console' });
      expect(back.headers.get('location')).toBe(`/console/staff/${OTHER}`);
      expect(offsite.headers.get('location')).toBe('/console');
      expect(overHttps.status).toBe(303);
      expect(overHttps.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
      expect(gateway.calls[0]).toMatchObject({
        method: 'login',
        request: { account: 'acme-dental', email: 'grace@acme.test' },
      });
    } finally {
      await gateway.close();
      await secure.close();
    }
  });

  it('refuses a sign-in form from another site, or with no Origin nor Referer, without asking identity', async () => {
    const gateway = await aGateway();
    try {
      const form = { account: 'acme-dental', email: 'grace@acme.test', password: 'right password' };
      const foreign = await gateway.post('/login', form, { origin: 'https://evil.example' });
      const foreignReferer = await gateway.post('/login', form, { origin: '', referer: 'https://evil.example/x' });
      const sameSiteReferer = await gateway.post('/login', form, { origin: '', referer: 'http://127.0.0.1/login' });

      expect(foreign.status).toBe(403);
      expect(await foreign.text()).toContain('This form was not sent from this site');
      expect(foreign.headers.get('set-cookie')).toBeNull();
      const neither = await gateway.post('/login', form, { origin: '' });

      expect(neither.status).toBe(403);
      expect(foreignReferer.status).toBe(403);
      expect(sameSiteReferer.status).toBe(303);
      expect(gateway.calls.filter((call) => call.method === 'login')).toHaveLength(1);
    } finally {
      await gateway.close();
    }
  });

  it('answers a wrong password with the generic message, and a throttled sign-in with the wait in words', async () => {
    const gateway = await aGateway();
    try {
      const wrong = await gateway.post('/login', { account: '<x>', email: 'grace@acme.test', password: 'nope' });
      const throttled = await gateway.post('/login', {
        account: 'acme',
        email: 'grace@acme.test',
        password: 'too many',
      });
      const empty = await gateway.post('/login', { account: 'acme', email: '', password: '' });

      expect(wrong.status).toBe(401);
      const wrongPage = await wrong.text();
      expect(wrongPage).toMatch(/role="alert"[^>]*>The account, email or password is not right/);
      expect(wrongPage).toContain('value="&lt;x&gt;"');
      expect(wrongPage).not.toContain('nope');
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('840');
      expect(await throttled.text()).toContain('wait about 14 minutes and try again');
      expect(empty.status).toBe(422);
    } finally {
      await gateway.close();
    }
  });

  it('shows the console to a signed-in user, escaped, and sends anyone else to the sign-in form', async () => {
    const gateway = await aGateway();
    try {
      const anonymous = await gateway.call('/console');
      const stale = await gateway.call('/console', { headers: { cookie: 'crm_session=ses_gone' } });
      const signedIn = await gateway.call('/console', { headers: cookie });
      const page = await signedIn.text();

      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.get('location')).toBe('/login');
      expect(stale.status).toBe(303);
      expect(stale.headers.get('set-cookie')).toContain('crm_session=; Path=/; Max-Age=0');
      expect(signedIn.status).toBe(200);
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Hopper');
      expect(page).not.toContain('<script');
      expect(page).toContain('Acme &amp; Sons');
      expect(page).toMatch(
        /<h3>Settings<\/h3>\s*<ul>\s*<li>View staff<\/li>\s*<li>View billing, plan and invoices<\/li>/,
      );
      expect(page).toContain('<a href="/docs">');
      expect(page).toContain('<form method="post" action="/logout">');
    } finally {
      await gateway.close();
    }
  });

  it('shows a staff member with staff.view, 404 for an unknown id, 403 in words without the permission', async () => {
    const gateway = await aGateway();
    const without = await aGateway({ permissions: ['contacts.view'] });
    try {
      const shown = await gateway.call(`/console/staff/${OTHER}`, { headers: cookie });
      const unknown = await gateway.call(`/console/staff/${ME.replace(/2$/, '9')}`, { headers: cookie });
      const notAnId = await gateway.call('/console/staff/nope', { headers: cookie });
      const refused = await without.call(`/console/staff/${OTHER}`, { headers: cookie });
      const anonymous = await gateway.call(`/console/staff/${OTHER}`);

      expect(shown.status).toBe(200);
      const page = await shown.text();
      expect(page).toContain('&lt;b&gt;Grace&lt;/b&gt; Hopper');
      expect(page).toMatch(/In no round-robin calendar<\/dt>\s*<dd>yes/);
      expect(unknown.status).toBe(404);
      expect(await unknown.text()).toContain('No such staff member');
      expect(notAnId.status).toBe(404);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('It needs the permission “View staff”');
      await until(() => without.calls.some((call) => call.method === 'recordActivity'));
      expect(without.calls.filter((call) => call.method === 'recordActivity')).toEqual([
        { method: 'recordActivity', request: { action: 'staff.get_staff', target: `user:${OTHER}`, result: 'denied' } },
      ]);
      expect(gateway.calls.filter((call) => call.method === 'recordActivity')).toEqual([]);
      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/console/staff/${OTHER}`)}`);
    } finally {
      await gateway.close();
      await without.close();
    }
  });

  it('never accepts the cookie on the JSON API; the Authorization header works there', async () => {
    const gateway = await aGateway();
    try {
      const withCookie = await gateway.call('/v1/me', { headers: cookie });
      const withBearer = await gateway.call('/v1/me', { headers: { authorization: 'Bearer ses_good' } });

      expect(withCookie.status).toBe(401);
      expect(withBearer.status).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  it('signs out: ends the session through identity, clears the cookie, 303 to /login; a foreign form is refused', async () => {
    const gateway = await aGateway();
    try {
      const foreign = await gateway.post('/logout', {}, { ...cookie, origin: 'https://evil.example' });
      const out = await gateway.post('/logout', {}, cookie);

      expect(foreign.status).toBe(403);
      expect(out.status).toBe(303);
      expect(out.headers.get('location')).toBe('/login');
      expect(out.headers.get('set-cookie')).toBe('crm_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax');
      await until(() => gateway.calls.filter((call) => call.method === 'recordActivity').length >= 2);
      expect(gateway.calls.filter((call) => call.method === 'recordActivity').map((call) => call.request)).toEqual([
        { action: 'sessions.logout', target: '', result: 'denied' },
        { action: 'sessions.logout', target: '', result: 'success' },
      ]);
      expect(gateway.calls.filter((call) => call.method === 'logout')).toEqual([
        { method: 'logout', request: { accountId: ACCOUNT, userId: ME, sessionId: 'sess-1' } },
      ]);
    } finally {
      await gateway.close();
    }
  });
});
