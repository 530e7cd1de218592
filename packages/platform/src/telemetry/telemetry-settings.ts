import { z } from 'zod';

/**
 * The tracing part of a service's configuration, to merge into its schema
 * (`z.object({ ...telemetrySettingsSchema.shape, ... })`). The names are OpenTelemetry's standard ones.
 * Pass the parsed values to `initTelemetry` from the service's `src/telemetry.ts`.
 */
export const telemetrySettingsSchema = z.object({
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none']).default('none'),
  /** Base URL of the OTLP/HTTP receiver; Jaeger on the local stack listens on 4318. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().default('http://127.0.0.1:4318'),
});

export type TelemetryEnv = z.infer<typeof telemetrySettingsSchema>;
