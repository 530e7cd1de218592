import express, { type Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import { readiness, type Logger, type ReadinessCheck } from '@crm/platform';
import type { ServiceClients } from './clients';
import { notFound, problemHandler } from './http/problem-handler';
import type { RouteDefinition } from './http/route';
import { mountRoutes, type AccessSettings } from './http/router';
import { openApiDocument } from './openapi/openapi';
import { operatorAccountRoutes } from './routes/operator-accounts.routes';
import { activityRoutes } from './routes/activity.routes';
import { billingOperatorRoutes } from './routes/billing-operator.routes';
import { billingRoutes } from './routes/billing.routes';
import { authRoutes } from './routes/auth.routes';
import { mountConsolePages } from './routes/console.page';
import { mountInvitationPages } from './routes/invitations.page';
import { invitationRoutes } from './routes/invitations.routes';
import { staffRoutes } from './routes/staff.routes';
import { permissionRoutes } from './routes/permissions.routes';
import { recordAuthenticatedActivity } from './http/activity-recorder';

export interface GatewayDeps extends AccessSettings {
  /**
   * The console pages' authenticator: the Authorization header, else the session cookie. Never used for the /v1
   * routes (`authenticate` ignores cookies). Defaults to `authenticate`.
   */
  authenticateConsole?: AccessSettings['authenticate'];
  clients: ServiceClients;
  publicUrl: string;
  logger: Logger;
  readinessChecks: ReadinessCheck[];
}

/** Every route the gateway serves, in one table: the router, the OpenAPI document and the access tests read it. */
export const routeTable = (deps: Pick<GatewayDeps, 'clients'>): RouteDefinition<never>[] =>
  [
    ...operatorAccountRoutes(deps.clients),
    ...authRoutes(deps.clients),
    ...invitationRoutes(deps.clients),
    ...staffRoutes(deps.clients),
    ...permissionRoutes(deps.clients),
    ...activityRoutes(deps.clients),
    ...billingRoutes(deps.clients),
    ...billingOperatorRoutes(deps.clients),
  ] as RouteDefinition<never>[];

export function createGatewayApp(deps: GatewayDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await readiness(deps.readinessChecks);
    res.status(report.status === 'ready' ? 200 : 503).json(report);
  });

  const routes = routeTable(deps);
  const document = openApiDocument(routes, deps.publicUrl);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'CRM account administration API' }));

  mountInvitationPages(app, deps.clients, deps.logger);
  mountConsolePages(app, {
    clients: deps.clients,
    logger: deps.logger,
    publicUrl: deps.publicUrl,
    authenticate: deps.authenticateConsole ?? deps.authenticate,
    accessChanged: deps.accessChanged,
  });
  // Webhooks are verified on their exact bytes (Stripe-Signature): keep the raw body, before the JSON parser.
  app.use('/webhooks', express.raw({ type: () => true, limit: '1mb' }));
  app.use(express.json({ limit: '1mb' }));
  app.use(recordAuthenticatedActivity(routes, deps.clients, deps.logger));
  app.use(mountRoutes(routes, deps));
  app.use(notFound);
  app.use(problemHandler(deps.logger));
  return app;
}
