import { closeOnSignals, closeServer, createLogger, runMain } from '@crm/platform';
import { createGatewayApp } from './app';
import { loadConfig } from './config';

runMain('gateway', async () => {
  const config = loadConfig();
  const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
  const app = createGatewayApp({ readinessChecks: [] });
  const server = app.listen(config.GATEWAY_PORT, config.GATEWAY_HOST);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  logger.info({ url: `http://${config.GATEWAY_HOST}:${config.GATEWAY_PORT}` }, 'gateway listening');
  closeOnSignals(logger, [{ name: 'http', close: () => closeServer(server) }]);
});
