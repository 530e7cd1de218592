import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { isPermission, type Permission } from '@crm/contracts';
import { createLogger } from '@crm/platform';
import { DomainError } from '@crm/platform/errors';
import { problemHandler } from './problem-handler';
import { defineRoute, type Principal, type RouteAccess, type RouteDefinition } from './route';
import { mountRoutes, type AccessSettings } from './router';

const OPERATOR_TOKEN = 'operator-token-for-router-test';

/** A bearer token `perm:<p1>,<p2>` stands for a principal holding exactly those permissions. */
async function authenticate(req: express.Request): Promise<Principal> {
  const token = /^Bearer perm:(.*)$/.exec(req.get('authorization') ?? '')?.[1];
  if (token === undefined) throw new DomainError('auth.unauthenticated');
  return {
    kind: 'user',
    accountId: 'account-a',
    userId: 'user-1',
    accountStatus: 'active',
    permissions: new Set(token.split(',').filter(isPermission) as Permission[]),
  };
}

describe('mountRoutes: one access check for every route', () => {
  const handled: string[] = [];
  const accessChanges: (Principal | undefined)[] = [];
  const route = (operationId: string, access: RouteAccess, extra: Partial<RouteDefinition> = {}) =>
    defineRoute({
      method: 'post',
      path: `/${operationId}`,
      operationId,
      summary: operationId,
      tag: 'Test',
      access,
      responses: { 200: { description: 'ok' } },
      async handle({ req }) {
        handled.push(operationId);
        if (req.get('x-fail')) throw new DomainError('resource.conflict');
        return { status: 200, body: { operationId } };
      },
      ...extra,
    });
  const routes = [
    route('open', { kind: 'public' }),
    route('support', { kind: 'operator' }),
    route('me', { kind: 'authenticated' }),
    route('invite', { kind: 'permission', permission: 'staff.manage' }),
    route('editProfile', { kind: 'permission', permission: 'profiles.manage' }, { changesAccess: true }),
  ] as RouteDefinition<never>[];
  const settings: AccessSettings = {
    operatorToken: OPERATOR_TOKEN,
    authenticate,
    accessChanged: (caller) => accessChanges.push(caller),
  };
  let server: Server;
  let base = '';

  beforeAll(async () => {
    const app = express();
    app.use(express.json());
    app.use(mountRoutes(routes, settings));
    app.use(problemHandler(createLogger({ service: 'router-test', level: 'silent' })));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    handled.length = 0;
    accessChanges.length = 0;
  });

  const call = async (operationId: string, token?: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}/${operationId}`, {
      method: 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    return { status: response.status, code: ((await response.json()) as { code?: string }).code };
  };

  it('answers 401 without credentials on every route that needs them, before the handler runs', async () => {
    expect([await call('support'), await call('me'), await call('invite')].map((r) => r.status)).toEqual([
      401, 401, 401,
    ]);
    expect(handled).toEqual([]);
  });

  it('answers 403 auth.forbidden when the principal lacks the route’s permission, before the handler runs', async () => {
    expect(await call('invite', 'perm:staff.view,contacts.edit')).toEqual({ status: 403, code: 'auth.forbidden' });
    expect(handled).toEqual([]);
  });

  it('runs the handler when the principal holds the permission, and for public and authenticated routes', async () => {
    expect((await call('invite', 'perm:staff.manage')).status).toBe(200);
    expect((await call('me', 'perm:')).status).toBe(200);
    expect((await call('open')).status).toBe(200);
    expect(handled).toEqual(['invite', 'me', 'open']);
  });

  it('does not let a user session through an operator route, nor the operator token through a user route', async () => {
    expect((await call('support', 'perm:staff.manage,profiles.manage')).status).toBe(401);
    expect((await call('support', OPERATOR_TOKEN)).status).toBe(200);
    expect((await call('invite', OPERATOR_TOKEN)).status).toBe(401);
  });

  it('reports an access change after a changesAccess route succeeds, and not when it fails', async () => {
    await call('editProfile', 'perm:profiles.manage');
    await call('editProfile', 'perm:profiles.manage', { 'x-fail': '1' });
    await call('editProfile', 'perm:staff.view');

    expect(accessChanges.map((caller) => caller?.accountId)).toEqual(['account-a']);
  });
});
