import { telemetry } from './telemetry';
import { closeOnSignals, createLogger, runMain } from '@crm/platform';
import { startService } from '@crm/platform/service';
import { loadConfig } from './config';
import { identityService } from './service';

runMain('identity', async () => {
  const config = loadConfig();
  const logger = createLogger({ service: 'identity', level: config.LOG_LEVEL });
  const running = await startService(identityService(config.identity), config, logger);
  closeOnSignals(logger, [
    { name: 'telemetry', close: () => telemetry.shutdown() },
    { name: 'mailer', close: () => running.deps.mailer.close() }, // closed after the worker has drained
    ...running.closers,
  ]);
});
