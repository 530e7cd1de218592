import { z } from 'zod';
import { parseConfig, port } from '@crm/platform';
import { kafkaSettingsSchema } from '@crm/platform/kafka';
import { logLevelSchema } from '@crm/platform/service';
import { telemetrySettingsSchema } from '@crm/platform/telemetry';

const serviceUrl = (defaultUrl: string) => z.url({ protocol: /^https?$/ }).default(defaultUrl);

const schema = z.object({
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: port.default(8080),
  /** Support staff authenticate with this bearer token on /operator/v1/*. */
  OPERATOR_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  GATEWAY_ACCOUNT_SERVICE_URL: serviceUrl('http://127.0.0.1:8081'),
  GATEWAY_IDENTITY_SERVICE_URL: serviceUrl('http://127.0.0.1:8082'),
  GATEWAY_BILLING_SERVICE_URL: serviceUrl('http://127.0.0.1:8083'),
  /**
   * How long a resolved principal (session → user, account status, effective permissions) may be reused without
   * asking identity, in milliseconds; 0 asks identity on every request. Changes still count at once: the cache is
   * evicted by identity.permissions.changed.v1 and the user and account events (docs/architecture.md).
   */
  GATEWAY_PRINCIPAL_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  GATEWAY_PRINCIPAL_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  ...kafkaSettingsSchema.pick({ KAFKA_BROKERS: true, KAFKA_TOPIC_PREFIX: true }).shape,
  LOG_LEVEL: logLevelSchema,
  ...telemetrySettingsSchema.shape,
});

export type GatewayConfig = z.infer<typeof schema>;

/** Parsed once, at start; a bad or missing variable stops the process with a line naming it. */
export const loadConfig = (env: Record<string, string | undefined> = process.env): GatewayConfig =>
  parseConfig('gateway', schema, env);
