import { randomUUID } from 'node:crypto';
import { eventually } from '@crm/testing';
import { anAccountRequest, api, operator } from './support/api';
import { e2eEnv } from './support/env';
import { emailsTo, linkIn } from './support/mailpit';

jest.setTimeout(120_000);

/**
 * The console pages through the running gateway: the links of identity's emails open real pages. The welcome email
 * leads to the sign-in form; a no-JavaScript form POST signs in with an HttpOnly session cookie; the console shows
 * who you are; the "joined" email's link shows the new member; the cookie never works on the JSON API; signing out
 * ends the session.
 */

const gateway = (path: string) => new URL(path, e2eEnv().GATEWAY_URL);
/** What a browser on the gateway's own pages sends as Origin. */
const ownOrigin = () => gateway('/').origin;
/** The path (and query) of a link from an email, asked of the gateway under test (its public URL may differ). */
const pathOf = (link: string) => {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
};

const page = async (path: string, cookie?: string) => {
  const response = await fetch(gateway(path), { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: response.status, location: response.headers.get('location'), html: await response.text() };
};

const postForm = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(gateway(path), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ownOrigin(), ...headers },
    body: new URLSearchParams(form),
  });

describe('the console pages through the gateway, on the real stack', () => {
  const password = 'owner passphrase for the console';
  const request = anAccountRequest();
  const ownerEmail = (request.owner as { email: string }).email;
  const state = { slug: '', cookie: '', ownerToken: '' };

  beforeAll(async () => {
    const created = await operator('POST', '/operator/v1/accounts', request);
    expect(created.status).toBe(201);
    state.slug = created.body.account.slug;
    const [invitation] = await emailsTo(ownerEmail);
    const token = linkIn(invitation?.Text ?? '', '/invite/').split('/invite/')[1] ?? '';
    expect((await api('POST', `/v1/invitations/${token}/accept`, { body: { password } })).status).toBe(200);
  });

  it('follows the welcome email to the sign-in form, signs in with a form POST, and shows the console', async () => {
    const welcome = await eventually(
      async () => (await emailsTo(ownerEmail, 2)).find((mail) => mail.Subject.startsWith('Welcome')),
      30_000,
      500,
    );
    const loginLink = pathOf(linkIn(welcome.Text, '/login'));
    expect(loginLink).toBe(`/login?account=${state.slug}`);

    const form = await page(loginLink);
    expect(form.status).toBe(200);
    expect(form.html).toContain('<form method="post" action="/login"');
    expect(form.html).toMatch(new RegExp(`id="account"[^>]*value="${state.slug}"`));

    const signedIn = await postForm('/login', { account: state.slug, email: ownerEmail, password });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/console');
    const setCookie = signedIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^crm_session=ses_[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    state.cookie = setCookie.split(';')[0] ?? '';

    const console = await page('/console', state.cookie);
    expect(console.status).toBe(200);
    expect(console.html).toContain('Ada Lovelace');
    expect(console.html).toContain(request.name);
    expect(console.html).toContain('<h3>Settings</h3>');
    expect(console.html).toContain('<li>View staff</li>');
    expect(console.html).toContain('<li>Change plan, payment method and billing details</li>');
    expect(console.html).toContain('<a href="/docs">');
  });

  it('opens the "joined" email’s link for the owner: the new member’s page', async () => {
    const login = await api('POST', '/v1/auth/login', { body: { account: state.slug, email: ownerEmail, password } });
    state.ownerToken = login.body.token;
    const staffEmail = `grace.${randomUUID().slice(0, 8)}@acme.test`;
    const invited = await api('POST', '/v1/staff', {
      token: state.ownerToken,
      body: { firstName: 'Grace', lastName: 'Hopper', email: staffEmail, phone: '+13125550123', profileId: 'user' },
    });
    expect(invited.status).toBe(201);
    const [invitation] = await emailsTo(staffEmail);
    const token = linkIn(invitation?.Text ?? '', '/invite/').split('/invite/')[1] ?? '';
    expect(
      (await api('POST', `/v1/invitations/${token}/accept`, { body: { password: 'staff passphrase 42' } })).status,
    ).toBe(200);

    const joined = await eventually(
      async () =>
        (await emailsTo(ownerEmail, 1)).find((mail) => mail.Subject === `Grace Hopper joined ${request.name}`),
      30_000,
      500,
    );
    const link = pathOf(linkIn(joined.Text, '/console/staff/'));
    expect(link).toBe(`/console/staff/${invited.body.id}`);

    const member = await page(link, state.cookie);
    expect(member.status).toBe(200);
    expect(member.html).toContain('Grace Hopper');
    expect(member.html).toContain(staffEmail);
    expect(member.html).toMatch(/Status<\/dt>\s*<dd>active/);
    expect(member.html).toMatch(/Permission profile<\/dt>\s*<dd>User/);

    const anonymous = await page(link);
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe(`/login?next=${encodeURIComponent(link)}`);
    expect((await page(`/console/staff/${randomUUID()}`, state.cookie)).status).toBe(404);
  });

  it('refuses the cookie on the JSON API', async () => {
    const me = await api('GET', '/v1/me', { headers: { cookie: state.cookie } });
    expect(me.status).toBe(401);
  });

  it('answers a wrong password with the generic message, and refuses a form from another site', async () => {
    const wrong = await postForm('/login', { account: state.slug, email: ownerEmail, password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('The account, email or password is not right');

    const unknown = await postForm('/login', { account: state.slug, email: 'nobody@acme.test', password });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('The account, email or password is not right');

    const foreign = await postForm(
      '/login',
      { account: state.slug, email: ownerEmail, password },
      { origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('set-cookie')).toBeNull();
  });

  it('signs out: the session ends, the cookie is cleared and no longer works', async () => {
    const foreign = await postForm('/logout', {}, { cookie: state.cookie, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await page('/console', state.cookie)).status).toBe(200);

    const out = await postForm('/logout', {}, { cookie: state.cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    expect(out.headers.get('set-cookie')).toMatch(/^crm_session=; Path=\/; Max-Age=0/);

    const after = await page('/console', state.cookie);
    expect(after.status).toBe(303);
    expect(after.location).toBe('/login');
    // The owner's other session (the bearer token) is still open: only this one ended.
    expect((await api('GET', '/v1/me', { token: state.ownerToken })).status).toBe(200);
  });
});
