import { telemetry } from './telemetry';
import { closeOnSignals, createLogger, runMain } from '@crm/platform';
import { startService } from '@crm/platform/service';
import { loadConfig } from './config';
import { createBillingService } from './service';

runMain('billing', async () => {
  const config = loadConfig();
  const logger = createLogger({ service: 'billing', level: config.LOG_LEVEL });
  const running = await startService(createBillingService(config.billing), config, logger);
  closeOnSignals(logger, [{ name: 'telemetry', close: () => telemetry.shutdown() }, ...running.closers]);
});
