import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { NativeConnection, Runtime } from '@temporalio/worker';
import type { Logger } from '../logger/logger';

const pinoLevel = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** Keys Temporal (and its OpenTelemetry interceptors) put in log metadata, renamed to the house's names. */
const renamed: Record<string, string> = { trace_id: 'traceId', span_id: 'spanId', trace_flags: 'traceFlags' };

/**
 * Temporal's `Logger` interface over our pino logger. Everything the SDK logs goes through it: the worker itself,
 * activities' `log`, workflows' `log` (via the SDK's logger sink) and, forwarded, the Rust core's warnings.
 * Workflow and activity entries carry `workflowId`, `runId`, `taskQueue`, ... and, from the OpenTelemetry
 * interceptors, `traceId` and `spanId`.
 */
export class PinoTemporalLogger implements TemporalLogger {
  constructor(private readonly logger: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.logger[pinoLevel[level]](meta ? fieldsOf(meta) : {}, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

function fieldsOf(meta: LogMetadata): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  // Object.entries skips the symbol-keyed timestamp Temporal attaches.
  for (const [key, value] of Object.entries(meta)) {
    // pino serializes errors (message, stack, cause) only under `err`.
    const name = key === 'error' && value instanceof Error ? 'err' : (renamed[key] ?? key);
    fields[name] = value;
  }
  return fields;
}

/**
 * Installs Temporal's process-wide Runtime with its logs going to `logger` (component `temporal`) and the Rust
 * core's warnings forwarded there too. The Runtime does not listen to signals: `closeOnSignals` owns shutdown, so
 * workers stop in the order the service chose.
 *
 * The Runtime is created by the first `NativeConnection` (or worker, or test environment), after which its logger
 * cannot change: call this before connecting, or use {@link connectWorkerConnection}. Returns whether our logger
 * is the Runtime's (false when something created the Runtime first).
 */
export function installTemporalRuntimeLogger(logger: Logger): boolean {
  // The Runtime shuts itself down when its last worker and connection close and is re-created later with the
  // options it was installed with: those still name our logger.
  if (Runtime.defaultOptions.logger instanceof PinoTemporalLogger) return true;
  if (Runtime._instance !== undefined) return false;
  Runtime.install({
    logger: new PinoTemporalLogger(logger.child({ component: 'temporal' })),
    shutdownSignals: [],
    telemetryOptions: { logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } } },
  });
  return true;
}

/** The connection a worker polls through, with the Temporal Runtime logging to `logger` (see above). */
export async function connectWorkerConnection(settings: {
  address: string;
  logger: Logger;
}): Promise<NativeConnection> {
  installTemporalRuntimeLogger(settings.logger);
  return NativeConnection.connect({ address: settings.address });
}
