import { telemetry } from './telemetry';
import { closeOnSignals, createLogger, runMain } from '@crm/platform';
import { startService } from '@crm/platform/service';
import { loadConfig } from './config';
import { billingService } from './service';

runMain('billing', async () => {
  const config = loadConfig();
  const logger = createLogger({ service: 'billing', level: config.LOG_LEVEL });
  const running = await startService(billingService, config, logger);
  closeOnSignals(logger, [{ name: 'telemetry', close: () => telemetry.shutdown() }, ...running.closers]);
});
