// Imported first by main.ts: the instrumentation must patch http, pg and kafkajs before they load.
import { parseConfig } from '@crm/platform';
import { initTelemetry, telemetrySettingsSchema } from '@crm/platform/telemetry';

const settings = parseConfig('identity', telemetrySettingsSchema);
export const telemetry = initTelemetry({
  serviceName: 'identity',
  exporter: settings.OTEL_TRACES_EXPORTER,
  otlpEndpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT,
});
