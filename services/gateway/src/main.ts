import { telemetry } from './telemetry';
import { closeOnSignals, closeServer, createLogger, runMain } from '@crm/platform';
import { createGatewayApp } from './app';
import { createServiceClients } from './clients';
import { loadConfig } from './config';
import { createPrincipalAccess } from './http/principal-access';

runMain('gateway', async () => {
  const config = loadConfig();
  const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
  const publicUrl = `http://${config.GATEWAY_HOST}:${config.GATEWAY_PORT}`;
  const healthOf = (url: string) => async () => {
    const response = await fetch(new URL('/healthz', url));
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  };
  const clients = createServiceClients(config);
  // Principals are reused ≤ GATEWAY_PRINCIPAL_CACHE_TTL_MS while the invalidation feed is live (docs/architecture.md).
  const access = createPrincipalAccess({
    clients,
    logger,
    cacheTtlMs: config.GATEWAY_PRINCIPAL_CACHE_TTL_MS,
    cacheMaxEntries: config.GATEWAY_PRINCIPAL_CACHE_MAX_ENTRIES,
    kafka: { brokers: config.KAFKA_BROKERS, topicPrefix: config.KAFKA_TOPIC_PREFIX },
  });
  const app = createGatewayApp({
    clients,
    operatorToken: config.OPERATOR_TOKEN,
    authenticate: access.authenticate,
    authenticateConsole: access.authenticateConsole,
    accessChanged: access.accessChanged,
    publicUrl,
    logger,
    readinessChecks: [
      { name: 'account', check: healthOf(config.GATEWAY_ACCOUNT_SERVICE_URL) },
      { name: 'identity', check: healthOf(config.GATEWAY_IDENTITY_SERVICE_URL) },
      { name: 'billing', check: healthOf(config.GATEWAY_BILLING_SERVICE_URL) },
    ],
  });
  const server = app.listen(config.GATEWAY_PORT, config.GATEWAY_HOST);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  logger.info({ url: publicUrl, docs: `${publicUrl}/docs` }, 'gateway listening');
  closeOnSignals(logger, [
    { name: 'telemetry', close: () => telemetry.shutdown() },
    { name: 'access invalidation feed', close: () => access.close() },
    { name: 'http', close: () => closeServer(server) },
  ]);
});
