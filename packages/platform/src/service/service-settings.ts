import { z } from 'zod';
import { kafkaSettingsSchema } from '../kafka/kafka';
import { telemetrySettingsSchema } from '../telemetry/telemetry-settings';
import { temporalSettingsSchema } from '../temporal/temporal-settings';

export const logLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/**
 * The configuration every back-end service shares. A service's config.ts spreads `.shape` into its own
 * schema and adds `<SERVICE>_HTTP_HOST` / `<SERVICE>_HTTP_PORT` and its other `<SERVICE>_<THING>` settings.
 */
export const serviceSettingsSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL of this service’s database' }),
  /** Local stacks and tests create the database on first start; production provisions it. */
  DATABASE_CREATE_IF_MISSING: z.stringbool().default(false),
  LOG_LEVEL: logLevelSchema,
  ...kafkaSettingsSchema.shape,
  ...temporalSettingsSchema.shape,
  ...telemetrySettingsSchema.shape,
});

export type ServiceSettings = z.infer<typeof serviceSettingsSchema> & { http: { host: string; port: number } };
