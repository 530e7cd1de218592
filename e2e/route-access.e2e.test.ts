import { randomUUID } from 'node:crypto';
import { eventually } from '@crm/testing';
import type { Permission } from '@crm/contracts';
import { routeTable } from '../services/gateway/src/app';
import { createServiceClients } from '../services/gateway/src/clients';
import { loadConfig } from '../services/gateway/src/config';
import type { RouteDefinition } from '../services/gateway/src/http/route';
import { api } from './support/api';
import { e2eEnv } from './support/env';
import { aMember, aProfile, anAccountWithOwner, VA_PERMISSIONS, type TeamAccount } from './support/team';

jest.setTimeout(180_000);

/**
 * The route-table walk (PRODUCT.md §3, issue 5): every route of the gateway's own table × five principals, checked
 * against the permission the route declares. It needs no route's happy-path body: a principal lacking the permission
 * must get 403 whatever it sends; one holding it must get past the check (neither 401 nor 403). Path ids are always
 * another account's real ids, so no call may succeed on them (404 when there is no body to refuse first), and no
 * answer may carry the other account's data. Operator routes refuse every session (401); nothing answers 5xx.
 */

// The table as the gateway builds it; the clients are never called here.
const routes = routeTable({
  clients: createServiceClients(loadConfig({ OPERATOR_TOKEN: e2eEnv().OPERATOR_TOKEN })),
}) as RouteDefinition<never>[];

/** Real ids of one account, by the kind of resource a path names, and the strings that would betray its data. */
interface AccountFacts {
  ids: { user: string; profile: string; invoice: string; session: string };
  markers: string[];
}

interface Walker {
  name: string;
  token: string;
  /** undefined: holds every permission (an Admin). */
  permissions?: ReadonlySet<string>;
  /** The other account's facts: its ids fill the paths, its markers must never appear. */
  foreign: AccountFacts;
}

const idFor = (path: string, param: string, ids: AccountFacts['ids']) => {
  if (param === 'token') return `tok_${randomUUID().replaceAll('-', '')}`;
  if (path.startsWith('/v1/staff/')) return ids.user;
  if (path.startsWith('/v1/permission-profiles/')) return ids.profile;
  if (path.startsWith('/v1/billing/invoices/')) return ids.invoice;
  if (path.startsWith('/v1/auth/sessions/')) return ids.session;
  return randomUUID(); // a route added later: an id that cannot be this account's either
};

const fill = (route: RouteDefinition<never>, ids: AccountFacts['ids']) =>
  route.path.replace(/:([A-Za-z]+)/g, (_match, param: string) => idFor(route.path, param, ids));

/** The text of an answer minus `instance` (the problem's echo of the request path, which holds the foreign id). */
function bodyText(body: unknown): string {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const { instance: _instance, ...rest } = body as Record<string, unknown>;
    return JSON.stringify(rest);
  }
  return typeof body === 'string' ? body : JSON.stringify(body ?? '');
}

async function factsOf(account: TeamAccount, profileId: string): Promise<AccountFacts> {
  const token = account.owner.token;
  const sessions = await api('GET', '/v1/auth/sessions', { token });
  const invoice = await eventually(
    async () => {
      const { body } = await api('GET', '/v1/billing/invoices', { token });
      return (body.invoices as { id: string }[] | undefined)?.[0]?.id;
    },
    45_000,
    500,
  );
  const session = (sessions.body.sessions as { id: string }[])[0]?.id ?? '';
  return {
    ids: { user: account.owner.id, profile: profileId, invoice, session },
    markers: [account.accountId, account.slug, account.owner.id, account.owner.email, profileId, invoice, session],
  };
}

describe('every gateway route × Admin, User, an empty custom profile, the VA, and another account', () => {
  const walkers: Walker[] = [];

  beforeAll(async () => {
    const [mine, theirs] = await Promise.all([
      anAccountWithOwner({ trialDays: 0 }),
      anAccountWithOwner({ trialDays: 0 }),
    ]);
    const [emptyProfile, vaProfile, theirProfile] = await Promise.all([
      aProfile(mine, 'Nothing at all', []),
      aProfile(mine, 'Virtual assistant', VA_PERMISSIONS),
      aProfile(theirs, 'Their assistants', VA_PERMISSIONS),
    ]);
    const [user, empty, va] = await Promise.all([
      aMember(mine, 'user', 'Ursula'),
      aMember(mine, emptyProfile, 'Emma'),
      aMember(mine, vaProfile, 'Vera'),
    ]);
    const [myFacts, theirFacts] = await Promise.all([factsOf(mine, vaProfile), factsOf(theirs, theirProfile)]);
    const permissionsOf = async (token: string) =>
      new Set((await api('GET', '/v1/me', { token })).body.permissions as string[]);
    walkers.push(
      { name: 'Admin', token: mine.owner.token, foreign: theirFacts },
      { name: 'User', token: user.token, permissions: await permissionsOf(user.token), foreign: theirFacts },
      { name: 'empty custom profile', token: empty.token, permissions: new Set(), foreign: theirFacts },
      { name: 'VA', token: va.token, permissions: new Set(VA_PERMISSIONS), foreign: theirFacts },
      { name: 'Admin of another account', token: theirs.owner.token, foreign: myFacts },
    );
  });

  it('declares an access for every route, and the walk covers them all', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((route) => !route.access)).toEqual([]);
  });

  it('answers every route as its declared permission says: 403 without it, past the check with it, never another account’s data', async () => {
    // A route that ends the caller's own session (logout: access-changing, for any caller, naming nothing) goes
    // last, so every other call still has a valid token.
    const endsOwnSession = (route: RouteDefinition<never>) =>
      Boolean(route.changesAccess) && route.access.kind === 'authenticated' && !route.path.includes(':');
    const ordered = [...routes].sort((a, b) => Number(endsOwnSession(a)) - Number(endsOwnSession(b)));
    const violations: string[] = [];
    let calls = 0;
    for (const walker of walkers) {
      for (const route of ordered) {
        const path = fill(route, walker.foreign.ids);
        const answer = await api(route.method.toUpperCase(), path, {
          token: walker.token,
          body: route.method === 'get' || route.method === 'delete' ? undefined : {},
        });
        calls += 1;
        const label = `${walker.name}: ${route.method.toUpperCase()} ${route.path} → ${answer.status}`;
        const text = bodyText(answer.body);
        const held =
          route.access.kind !== 'permission' ||
          walker.permissions === undefined ||
          walker.permissions.has(route.access.permission as Permission);

        if (answer.status >= 500) violations.push(`${label}: a server error (${text.slice(0, 200)})`);
        if (route.access.kind === 'operator' && answer.status !== 401)
          violations.push(`${label}: a session passed an operator route`);
        if (route.access.kind === 'permission' && !held && answer.status !== 403)
          violations.push(`${label}: expected 403, the ${route.access.permission} permission is missing`);
        if (
          (route.access.kind === 'authenticated' || (route.access.kind === 'permission' && held)) &&
          [401, 403].includes(answer.status)
        )
          violations.push(`${label}: refused although the principal may call it (${text.slice(0, 200)})`);
        if (route.access.kind === 'public' && answer.status === 403)
          violations.push(`${label}: a public route refused`);
        if (route.path.includes(':') && answer.status >= 200 && answer.status < 300)
          violations.push(`${label}: succeeded on another account's id`);
        // With nothing to validate first, an id of another account is simply not found.
        const mayCall = route.access.kind === 'authenticated' || (route.access.kind === 'permission' && held);
        if (mayCall && /:id\b/.test(route.path) && !route.body && answer.status !== 404)
          violations.push(`${label}: expected 404 for another account's id`);
        const leaked = walker.foreign.markers.filter((marker) => marker && text.includes(marker));
        if (leaked.length > 0) violations.push(`${label}: the answer holds the other account's ${leaked.join(', ')}`);
      }
    }

    expect(calls).toBe(routes.length * walkers.length);
    expect(violations).toEqual([]);
  });
});
