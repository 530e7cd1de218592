import { trace } from '@opentelemetry/api';
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Every key that may carry a credential, wherever it sits in a log object. */
const redactedPaths = [
  'password',
  'token',
  'secret',
  'authorization',
  'apiKey',
  '*.password',
  '*.token',
  '*.secret',
  '*.authorization',
  '*.apiKey',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

export interface LoggerSettings {
  service: string;
  level?: string;
  /** Where the JSON lines go; tests pass a stream to read them. */
  destination?: pino.DestinationStream;
}

export function createLogger({ service, level = 'info', destination }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Every line written inside a traced request, consumer or activity carries its trace id.
    mixin: () => {
      const context = trace.getActiveSpan()?.spanContext();
      return context ? { traceId: context.traceId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
