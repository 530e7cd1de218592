import express, { type Express } from 'express';
import { readiness, type ReadinessCheck } from '@crm/platform';

export interface GatewayDeps {
  readinessChecks: ReadinessCheck[];
}

export function createGatewayApp(deps: GatewayDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await readiness(deps.readinessChecks);
    res.status(report.status === 'ready' ? 200 : 503).json(report);
  });
  return app;
}
