export {
  activeSpanSink,
  initTelemetry,
  type SpanSink,
  type Telemetry,
  type TelemetrySettings,
  type TraceExporterKind,
} from './init-telemetry';
export { telemetrySettingsSchema, type TelemetryEnv } from './telemetry-settings';
export {
  currentTraceContext,
  kafkaHeadersFromTrace,
  withSpan,
  withStoredTrace,
  withTraceFromKafkaHeaders,
  type StoredTraceContext,
} from './trace-context';
