import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createLogger } from '@crm/platform';
import { createGatewayApp } from '../services/gateway/src/app';
import { createServiceClients } from '../services/gateway/src/clients';
import { loadConfig } from '../services/gateway/src/config';
import { createPrincipalAccess, type PrincipalAccess } from '../services/gateway/src/http/principal-access';
import { api } from './support/api';
import { e2eEnv } from './support/env';
import { aMember, aProfile, anAccountWithOwner, VA_PERMISSIONS, type SignedIn, type TeamAccount } from './support/team';

jest.setTimeout(120_000);

const check = async (token: string, permission: string) =>
  (await api('POST', '/v1/authz/check', { token, body: { permission } })).body.allowed as boolean;

describe('roles and permission profiles through the gateway, on the real stack', () => {
  let account: TeamAccount;
  let vaProfile = '';
  let va: SignedIn;

  beforeAll(async () => {
    account = await anAccountWithOwner();
    vaProfile = await aProfile(account, 'Virtual assistant', VA_PERMISSIONS);
    va = await aMember(account, vaProfile, 'Vera');
  });

  it('serves the permission catalogue with labels, grouped by section', async () => {
    const { status, body } = await api('GET', '/v1/permissions', { token: va.token });

    expect(status).toBe(200);
    expect(body.sections.map((section: { name: string }) => section.name)).toEqual([
      'Dashboard',
      'Contacts',
      'Conversations',
      'Opportunities',
      'Calendars',
      'Sites',
      'Marketing',
      'Automations',
      'Reporting',
      'Payments',
      'Settings',
    ]);
    expect(body.sections[1]).toEqual({
      name: 'Contacts',
      permissions: [
        { id: 'contacts.view', label: 'View contacts' },
        { id: 'contacts.edit', label: 'Create, edit and delete contacts' },
      ],
    });
  });

  it('lets the VA edit contacts but not send marketing, and keeps billing and staff management from them (403)', async () => {
    expect(await check(va.token, 'contacts.edit')).toBe(true);
    expect(await check(va.token, 'contacts.view')).toBe(true);
    expect(await check(va.token, 'marketing.send')).toBe(false);
    const unknown = await api('POST', '/v1/authz/check', { token: va.token, body: { permission: 'marketing.spam' } });
    expect([unknown.status, unknown.body.errors?.[0]?.field]).toEqual([422, 'permission']);

    const refused = {
      billing: (await api('GET', '/v1/billing', { token: va.token })).status,
      invoices: (await api('GET', '/v1/billing/invoices', { token: va.token })).status,
      changePlan: (
        await api('POST', '/v1/billing/plan-change', { token: va.token, body: { planId: 'pro', interval: 'month' } })
      ).status,
      staff: (await api('GET', '/v1/staff', { token: va.token })).status,
      invite: (
        await api('POST', '/v1/staff', {
          token: va.token,
          body: { firstName: 'A', lastName: 'B', email: 'a.b@acme.test', phone: '+13125550100', profileId: 'user' },
        })
      ).status,
      remove: (await api('DELETE', `/v1/staff/${account.owner.id}`, { token: va.token })).status,
      profiles: (await api('POST', '/v1/permission-profiles', { token: va.token, body: { name: 'Mine' } })).status,
    };
    expect(refused).toEqual({
      billing: 403,
      invoices: 403,
      changePlan: 403,
      staff: 403,
      invite: 403,
      remove: 403,
      profiles: 403,
    });
    const me = await api('GET', '/v1/me', { token: va.token });
    expect(me.body.permissions).toEqual(['contacts.edit', 'contacts.view', 'marketing.view']);
    expect(me.body.user.profile).toEqual({ id: vaProfile, name: 'Virtual assistant' });
  });

  it('answers 403 to every escalation attempt', async () => {
    const managers = await aProfile(account, 'Profile managers', ['profiles.manage', 'staff.view', 'staff.manage']);
    const manager = await aMember(account, managers, 'Max');
    const user = await aMember(account, 'user', 'Ursula');

    const attempts = {
      createWithBilling: await api('POST', '/v1/permission-profiles', {
        token: manager.token,
        body: { name: 'Sneaky', permissions: ['billing.manage'] },
      }),
      grantOwnProfileMore: await api('PATCH', `/v1/permission-profiles/${managers}`, {
        token: manager.token,
        body: { permissions: ['profiles.manage', 'staff.view', 'staff.manage', 'staff.remove'] },
      }),
      editProfileHoldingMore: await api('PATCH', `/v1/permission-profiles/${vaProfile}`, {
        token: manager.token,
        body: { name: 'Assistants' },
      }),
      assignProfileHoldingMore: await api('PATCH', `/v1/staff/${user.id}`, {
        token: manager.token,
        body: { profileId: vaProfile },
      }),
      userMakesAnAdmin: await api('PATCH', `/v1/staff/${manager.id}`, {
        token: user.token,
        body: { profileId: 'admin' },
      }),
      userInvitesAnAdmin: await api('POST', '/v1/staff', {
        token: user.token,
        body: { firstName: 'E', lastName: 'Vil', email: 'e.vil@acme.test', phone: '+13125550100', profileId: 'admin' },
      }),
    };

    expect(
      Object.fromEntries(Object.entries(attempts).map(([name, answer]) => [name, [answer.status, answer.body.code]])),
    ).toEqual({
      createWithBilling: [403, 'identity.escalation'],
      grantOwnProfileMore: [403, 'identity.escalation'],
      editProfileHoldingMore: [403, 'identity.escalation'],
      assignProfileHoldingMore: [403, 'identity.escalation'],
      userMakesAnAdmin: [403, 'identity.escalation'],
      userInvitesAnAdmin: [403, 'identity.escalation'],
    });
    expect(attempts.createWithBilling.body.detail).toContain('billing.manage');
    expect((await api('GET', `/v1/staff/${user.id}`, { token: account.owner.token })).body.user.profile.id).toBe(
      'user',
    );
  });

  it('keeps the built-in profiles as they are, and profile names unique whatever their case', async () => {
    const builtin = await api('PATCH', '/v1/permission-profiles/user', {
      token: account.owner.token,
      body: { permissions: ['contacts.view'] },
    });
    const deleteAdmin = await api('DELETE', '/v1/permission-profiles/admin', { token: account.owner.token });
    const duplicate = await api('POST', '/v1/permission-profiles', {
      token: account.owner.token,
      body: { name: 'VIRTUAL ASSISTANT' },
    });

    expect([builtin.status, builtin.body.code]).toEqual([409, 'identity.profile_builtin']);
    expect([deleteAdmin.status, deleteAdmin.body.code]).toEqual([409, 'identity.profile_builtin']);
    expect([duplicate.status, duplicate.body.code]).toEqual([409, 'identity.profile_name_taken']);
  });

  it('denies a permission removed from a profile on the very next request of a signed-in user', async () => {
    const grant = (permissions: string[]) =>
      api('PATCH', `/v1/permission-profiles/${vaProfile}`, { token: account.owner.token, body: { permissions } });
    expect((await grant([...VA_PERMISSIONS, 'staff.view'])).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await api('GET', '/v1/staff', { token: va.token })).status).toBe(200);

    const removed = await grant(VA_PERMISSIONS);
    const nextRequest = await api('GET', '/v1/staff', { token: va.token });

    expect(removed.body.profile).toMatchObject({
      permissions: ['contacts.edit', 'contacts.view', 'marketing.view'],
      userCount: 1,
    });
    expect([nextRequest.status, nextRequest.body.code, nextRequest.body.detail]).toEqual([
      403,
      'auth.forbidden',
      'this needs the staff.view permission',
    ]);
    expect(await check(va.token, 'staff.view')).toBe(false);
  });

  describe('on another gateway instance, which learns of changes only from identity.permissions.changed.v1', () => {
    let other: { server: Server; base: string; access: PrincipalAccess };

    beforeAll(async () => {
      const config = loadConfig({ ...process.env, OPERATOR_TOKEN: e2eEnv().OPERATOR_TOKEN });
      const clients = createServiceClients(config);
      const logger = createLogger({ service: 'gateway-e2e-second-instance', level: 'silent' });
      // A long time to live: only the invalidation feed can explain a change seen within a second.
      const access = createPrincipalAccess({
        clients,
        logger,
        cacheTtlMs: 60_000,
        cacheMaxEntries: 1_000,
        kafka: { brokers: config.KAFKA_BROKERS, topicPrefix: config.KAFKA_TOPIC_PREFIX },
      });
      await access.feed?.waitUntilLive(30_000);
      const app = createGatewayApp({
        clients,
        operatorToken: config.OPERATOR_TOKEN,
        authenticate: access.authenticate,
        accessChanged: access.accessChanged,
        publicUrl: 'http://127.0.0.1',
        logger,
        readinessChecks: [],
      });
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      other = { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, access };
    });
    afterAll(async () => {
      await new Promise((resolve) => other.server.close(resolve));
      await other.access.close();
    });

    const staffThere = async () =>
      (await fetch(`${other.base}/v1/staff`, { headers: { authorization: `Bearer ${va.token}` } })).status;

    it('denies the removed permission there within a second', async () => {
      const grant = (permissions: string[]) =>
        api('PATCH', `/v1/permission-profiles/${vaProfile}`, { token: account.owner.token, body: { permissions } });
      expect((await grant([...VA_PERMISSIONS, 'staff.view'])).status).toBe(200);
      // The grant's own permissions.changed event may reach this instance after its first request and evict the
      // entry once more: keep asking (allowed every time) until the cache has answered twice.
      const hitsBefore = other.access.cache.stats.hits;
      const primingUntil = performance.now() + 5_000;
      do expect(await staffThere()).toBe(200);
      while (other.access.cache.stats.hits - hitsBefore < 2 && performance.now() < primingUntil);
      expect(other.access.cache.stats.hits - hitsBefore).toBeGreaterThanOrEqual(2); // answered from its cache

      const changedAt = performance.now();
      expect((await grant(VA_PERMISSIONS)).status).toBe(200);
      let status = await staffThere();
      while (status === 200 && performance.now() - changedAt < 5_000) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        status = await staffThere();
      }
      const elapsedMs = performance.now() - changedAt;

      expect(status).toBe(403);
      expect(elapsedMs).toBeLessThan(1_000);
    });
  });

  it('refuses to delete a profile in use without reassignTo (409), and moves its users with it', async () => {
    const inUse = await api('DELETE', `/v1/permission-profiles/${vaProfile}`, { token: account.owner.token });
    const badTarget = await api('DELETE', `/v1/permission-profiles/${vaProfile}?reassignTo=no-such-profile`, {
      token: account.owner.token,
    });
    const deleted = await api('DELETE', `/v1/permission-profiles/${vaProfile}?reassignTo=user`, {
      token: account.owner.token,
    });
    const after = await api('GET', '/v1/me', { token: va.token });
    const profiles = await api('GET', '/v1/permission-profiles', { token: account.owner.token });

    expect([inUse.status, inUse.body.code]).toEqual([409, 'identity.profile_in_use']);
    expect(inUse.body.detail).toContain('reassignTo');
    expect([badTarget.status, badTarget.body.errors?.[0]?.field]).toEqual([422, 'reassignTo']);
    expect([deleted.status, deleted.body]).toEqual([200, { reassignedUsers: 1, reassignedTo: 'user' }]);
    expect(after.body.user.profile).toEqual({ id: 'user', name: 'User' });
    expect(after.body.permissions).toContain('staff.view');
    expect(profiles.body.profiles.map((profile: { id: string }) => profile.id)).not.toContain(vaProfile);
    expect((await api('GET', `/v1/permission-profiles/${vaProfile}`, { token: account.owner.token })).status).toBe(404);
  });
});
