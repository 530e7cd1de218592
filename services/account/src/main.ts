import { telemetry } from './telemetry';
import { closeOnSignals, createLogger, runMain } from '@crm/platform';
import { startService } from '@crm/platform/service';
import { loadConfig } from './config';
import { accountService } from './service';

runMain('account', async () => {
  const config = loadConfig();
  const logger = createLogger({ service: 'account', level: config.LOG_LEVEL });
  const running = await startService(accountService, config, logger);
  closeOnSignals(logger, [{ name: 'telemetry', close: () => telemetry.shutdown() }, ...running.closers]);
});
