import { randomUUID } from 'node:crypto';
import { eventually } from '@crm/testing';
import { anAccountRequest, api, operator } from './support/api';
import { e2eEnv } from './support/env';
import { emailsTo, linkIn } from './support/mailpit';

jest.setTimeout(90_000);

/** The path of a link from an email, asked of the gateway under test (its public URL may differ). */
const gatewayPath = (link: string) => new URL(link).pathname;

/** Submits the no-JavaScript HTML form of an invitation page, as a browser would. */
async function submitInvitePage(path: string, password: string) {
  const response = await fetch(new URL(path, e2eEnv().GATEWAY_URL), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ password, confirm: password }),
  });
  return { status: response.status, html: await response.text() };
}

describe('team onboarding through the gateway, on the real stack', () => {
  const ownerPassword = 'owner passphrase for e2e';
  const staffPassword = 'staff passphrase for e2e';
  const request = anAccountRequest();
  const ownerEmail = (request.owner as { email: string }).email;
  const staffEmail = `grace.${randomUUID().slice(0, 8)}@acme.test`;
  const state = { accountId: '', slug: '', ownerId: '', ownerToken: '', staffId: '', staffToken: '' };

  it('provisions an account whose owner gets an invitation, joins through the page, signs in, invites staff who joins and signs in', async () => {
    // The operator provisions the account: the owner is invited as an Admin.
    const created = await operator('POST', '/operator/v1/accounts', request);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      account: { status: 'provisioning' },
      owner: { id: expect.any(String) },
      invitationId: expect.any(String),
    });
    Object.assign(state, {
      accountId: created.body.account.id,
      slug: created.body.account.slug,
      ownerId: created.body.owner.id,
    });

    // The invitation arrives; its link opens the page that sets the password.
    const [invitation] = await emailsTo(ownerEmail);
    expect(invitation?.Subject).toContain(`invited you to join ${request.name}`);
    const ownerLink = gatewayPath(linkIn(invitation?.Text ?? '', '/invite/'));
    const page = await fetch(new URL(ownerLink, e2eEnv().GATEWAY_URL));
    const pageHtml = await page.text();
    expect(page.status).toBe(200);
    expect(pageHtml).toContain(request.name as string);
    expect(pageHtml).toContain(ownerEmail);
    expect(pageHtml).toMatch(/<label for="password">/);
    const joined = await submitInvitePage(ownerLink, ownerPassword);
    expect(joined.status).toBe(200);
    expect(joined.html).toContain(`You have joined ${request.name}`);

    // The owner signs in and is an Admin of an active account.
    const login = await api('POST', '/v1/auth/login', {
      body: { account: state.slug, email: ownerEmail, password: ownerPassword },
    });
    expect(login.status).toBe(200);
    state.ownerToken = login.body.token;
    const me = await api('GET', '/v1/me', { token: state.ownerToken });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({
      id: state.ownerId,
      status: 'active',
      isOwner: true,
      profile: { id: 'admin', name: 'Admin' },
    });
    expect(me.body.permissions).toEqual(expect.arrayContaining(['staff.manage', 'staff.remove', 'billing.manage']));

    // The owner invites a staff member, whose invitation arrives.
    const invited = await api('POST', '/v1/staff', {
      token: state.ownerToken,
      body: { firstName: 'Grace', lastName: 'Hopper', email: staffEmail, phone: '+13125550123', profileId: 'user' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({
      status: 'invited',
      invitation: { id: expect.any(String), status: 'pending', expiresAt: expect.any(String) },
    });
    state.staffId = invited.body.id;
    const [staffInvitation] = await emailsTo(staffEmail);
    expect(staffInvitation?.Subject).toBe(`Ada Lovelace invited you to join ${request.name}`);
    const staffToken = linkIn(staffInvitation?.Text ?? '', '/invite/').split('/invite/')[1] ?? '';

    // The staff member accepts (through the JSON API this time) and signs in.
    const described = await api('GET', `/v1/invitations/${staffToken}`);
    expect(described.body).toMatchObject({ accountName: request.name, email: staffEmail, firstName: 'Grace' });
    expect(
      (await api('POST', `/v1/invitations/${staffToken}/accept`, { body: { password: staffPassword } })).status,
    ).toBe(200);
    const staffLogin = await api('POST', '/v1/auth/login', {
      body: { account: state.slug, email: staffEmail, password: staffPassword },
    });
    expect(staffLogin.status).toBe(200);
    state.staffToken = staffLogin.body.token;

    // Both are active; the new member is flagged as in no calendar and no pipeline.
    const staff = await api('GET', '/v1/staff', { token: state.ownerToken });
    expect(staff.status).toBe(200);
    expect(staff.body.users.map((user: { email: string; status: string }) => [user.email, user.status])).toEqual([
      [ownerEmail, 'active'],
      [staffEmail, 'active'],
    ]);
    expect(staff.body.users[1]).toMatchObject({
      inNoCalendar: true,
      inNoPipeline: true,
      invitation: { status: 'accepted' },
    });

    // The onboarding workflow welcomes the member and tells the inviter.
    const [welcome] = (await emailsTo(staffEmail, 2)).filter((email) => email.Subject.startsWith('Welcome'));
    expect(welcome?.Subject).toBe(`Welcome to ${request.name}`);
    const ownerMail = await eventually(
      async () => {
        const mails = await emailsTo(ownerEmail, 1);
        return mails.some((mail) => mail.Subject === `Grace Hopper joined ${request.name}`) ? mails : undefined;
      },
      30_000,
      500,
    );
    expect(ownerMail.filter((mail) => mail.Subject.includes('joined'))).toHaveLength(1);

    // The activity log shows every step, newest first.
    const steps = await eventually(
      async () => {
        const { body } = await api('GET', '/v1/activity', { token: state.ownerToken });
        const seen = (body.entries as { action: string; actorUserId: string; target: string; result: string }[])
          .filter((entry) => entry.result === 'success')
          .map(
            (entry) =>
              `${entry.actorUserId === state.ownerId ? 'owner' : entry.actorUserId === state.staffId ? 'staff' : '?'} ${entry.action} ${entry.target}`,
          )
          .reverse();
        return seen.length >= 5 ? seen : undefined;
      },
      15_000,
      250,
    );
    expect(steps).toEqual([
      `owner invitation.accept user:${state.ownerId}`,
      `owner auth.login user:${state.ownerId}`,
      `owner staff.invite_staff user:${state.staffId}`,
      `staff invitation.accept user:${state.staffId}`,
      `staff auth.login user:${state.staffId}`,
    ]);
  });

  it('answers 410 with a plain explanation when the used link is opened again', async () => {
    const invitation = (await emailsTo(ownerEmail)).find((email) => email.Subject.includes('invited you'));
    const link = gatewayPath(linkIn(invitation?.Text ?? '', '/invite/'));

    const page = await fetch(new URL(link, e2eEnv().GATEWAY_URL));
    const api410 = await api('GET', `/v1/invitations/${link.split('/invite/')[1]}`);

    expect(page.status).toBe(410);
    expect(await page.text()).toContain('This invitation was already accepted');
    expect(api410.status).toBe(410);
    expect(api410.body).toMatchObject({
      code: 'identity.invite_used',
      type: 'https://errors.crm.example/identity-invite-used',
    });
  });

  it('lets a User see staff but not remove anyone (403), and ends a removed user’s session at once (401)', async () => {
    const forbidden = await api('DELETE', `/v1/staff/${state.ownerId}`, { token: state.staffToken });
    expect(forbidden.status).toBe(403);

    const removed = await api('DELETE', `/v1/staff/${state.staffId}`, { token: state.ownerToken });
    const afterwards = await api('GET', '/v1/me', { token: state.staffToken });

    expect(removed.status).toBe(200);
    expect(removed.body.user.status).toBe('removed');
    expect(afterwards.status).toBe(401);
    expect(afterwards.body.code).toBe('auth.unauthenticated');
  });

  it('answers an unknown email like a wrong password, and throttles with 429 and Retry-After', async () => {
    const wrong = await api('POST', '/v1/auth/login', {
      body: { account: state.slug, email: ownerEmail, password: 'not the password' },
    });
    const unknown = await api('POST', '/v1/auth/login', {
      body: { account: state.slug, email: `nobody.${randomUUID()}@acme.test`, password: 'not the password' },
    });
    expect([wrong.status, wrong.body.detail]).toEqual([401, 'the account, email or password is not right']);
    expect([unknown.status, unknown.body.detail]).toEqual([wrong.status, wrong.body.detail]);

    const target = `victim.${randomUUID().slice(0, 8)}@acme.test`;
    let answer = await api('POST', '/v1/auth/login', {
      body: { account: state.slug, email: target, password: 'guess 0' },
    });
    for (let attempt = 1; attempt <= 20 && answer.status === 401; attempt++) {
      answer = await api('POST', '/v1/auth/login', {
        body: { account: state.slug, email: target, password: `guess ${attempt}` },
      });
    }
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answer.body.code).toBe('auth.rate_limited');
  });
});
