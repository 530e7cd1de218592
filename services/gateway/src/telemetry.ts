// Imported first by main.ts: the instrumentation must patch http and express before they load.
import { parseConfig } from '@crm/platform';
import { initTelemetry, telemetrySettingsSchema } from '@crm/platform/telemetry';

const settings = parseConfig('gateway', telemetrySettingsSchema);
export const telemetry = initTelemetry({
  serviceName: 'gateway',
  exporter: settings.OTEL_TRACES_EXPORTER,
  otlpEndpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT,
});
