import { isPermission, permissionCatalogue } from '@crm/contracts';
import type { ServiceClients } from './clients';
import { routeTable } from './app';
import { openApiDocument } from './openapi/openapi';
import { consolePages } from './routes/console.page';

/** Route factories only keep the clients for later: nothing here calls a service. */
const clients = new Proxy({} as ServiceClients, {
  get: (_target, service) => {
    throw new Error(`the route table called the ${String(service)} service while being built`);
  },
});
const routes = routeTable({ clients });
const key = (route: { method: string; path: string }) => `${route.method.toUpperCase()} ${route.path}`;

/** Routes anyone may call: the credential is in the request itself (a password, a link's token, a signature). */
const publicOperations = [
  'login',
  'requestPasswordReset',
  'resetPassword',
  'getInvitation',
  'acceptInvitation',
  'receiveStripeWebhook',
];

describe('the gateway route table', () => {
  it.each(routes.map((route) => [key(route), route] as const))('%s declares who may call it', (_name, route) => {
    expect(['public', 'operator', 'authenticated', 'permission']).toContain(route.access.kind);
    if (route.access.kind === 'permission') {
      expect(isPermission(route.access.permission)).toBe(true);
      expect(permissionCatalogue[route.access.permission].label.length).toBeGreaterThan(0);
    }
  });

  it('is public only where the request carries its own credential, and operator-only under /operator', () => {
    const publicRoutes = routes.filter((route) => route.access.kind === 'public').map((route) => route.operationId);
    const operatorRoutes = routes.filter((route) => route.access.kind === 'operator');

    expect(publicRoutes.sort()).toEqual([...publicOperations].sort());
    expect(operatorRoutes.every((route) => route.path.startsWith('/operator/'))).toBe(true);
    expect(
      routes.filter((route) => route.path.startsWith('/operator/')).every((route) => route.access.kind === 'operator'),
    ).toBe(true);
  });

  it('has one route per method and path, and unique operation ids', () => {
    expect(new Set(routes.map(key)).size).toBe(routes.length);
    expect(new Set(routes.map((route) => route.operationId)).size).toBe(routes.length);
  });

  it('evicts cached principals after every request that changes who can do what', () => {
    expect(
      routes
        .filter((route) => route.changesAccess)
        .map((route) => route.operationId)
        .sort(),
    ).toEqual(
      [
        'logout',
        'revokeSession',
        'resetPassword',
        'updateStaff',
        'removeStaff',
        'deactivateStaff',
        'reactivateStaff',
        'updatePermissionProfile',
        'deletePermissionProfile',
      ].sort(),
    );
  });

  it('shows each operation’s access in the OpenAPI document, as x-access and in words', () => {
    const document = openApiDocument(routes, 'http://gateway.test');

    for (const route of routes) {
      const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
      const operation = (document.paths[path] as Record<string, { 'x-access': unknown; description: string }>)[
        route.method
      ];
      expect({ route: key(route), access: operation?.['x-access'] }).toEqual({
        route: key(route),
        access: route.access,
      });
      if (route.access.kind === 'permission')
        expect(operation?.description).toContain(`\`${route.access.permission}\` permission`);
    }
    const deleteProfile = (document.paths['/v1/permission-profiles/{id}'] as Record<string, { parameters: unknown[] }>)
      .delete;
    expect(deleteProfile?.parameters).toContainEqual(expect.objectContaining({ name: 'reassignTo', in: 'query' }));
  });

  it('declares who may open each console page (HTML, outside the API table): public only for the sign-in form', () => {
    const pages = consolePages({
      clients,
      logger: undefined as never,
      publicUrl: 'http://gateway.test',
      authenticate: async () => {
        throw new Error('not called while building the pages');
      },
    });
    const declared = pages.map((page) => [`${page.method.toUpperCase()} ${page.path}`, page.access]);

    expect(declared).toEqual([
      ['GET /login', { kind: 'public' }],
      ['POST /login', { kind: 'public' }],
      ['POST /logout', { kind: 'authenticated' }],
      ['GET /console', { kind: 'authenticated' }],
      ['GET /console/staff/:id', { kind: 'permission', permission: 'staff.view' }],
    ]);
    // No page shares a path with the JSON API, where the session cookie is never accepted.
    expect(pages.filter((page) => page.path.startsWith('/v1/') || page.path.startsWith('/operator/'))).toEqual([]);
  });
});
