import { z } from 'zod';

/**
 * The Temporal part of a service's configuration, to merge into its schema:
 * `z.object({ ...temporalSettingsSchema.shape, BILLING_HTTP_PORT: port.default(8083) })`.
 */
export const temporalSettingsSchema = z.object({
  /** host:port of the Temporal frontend (the dev server of the local stack by default). */
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^(\[[^\]\s]+\]|[^\s:/[\]]+):\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
});

export type TemporalEnv = z.infer<typeof temporalSettingsSchema>;
