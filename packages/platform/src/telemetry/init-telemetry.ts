import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { defaultResource, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * Where finished spans go:
 * - `otlp`: batched to an OTLP/HTTP collector (Jaeger on the local stack listens on 127.0.0.1:4318);
 * - `none`: spans are still created, so trace ids propagate and appear in logs, but nothing is exported;
 * - `memory`: kept in an `InMemorySpanExporter`, synchronously, for tests that assert on spans.
 */
export type TraceExporterKind = 'otlp' | 'none' | 'memory';

export interface TelemetrySettings {
  serviceName: string;
  exporter: TraceExporterKind;
  /** Base URL of the OTLP/HTTP receiver, e.g. `http://127.0.0.1:4318`; `/v1/traces` is appended. */
  otlpEndpoint?: string;
  /**
   * Patch http, express, pg and kafkajs (default true). Tests that only assert on their own spans may turn it
   * off; Jest loads modules through its own registry, which these require hooks do not see anyway.
   */
  autoInstrument?: boolean;
}

export interface Telemetry {
  tracerProvider: NodeTracerProvider;
  /** Present when `exporter` is `memory`. */
  memoryExporter?: InMemorySpanExporter;
  /** Flushes pending spans, unpatches the instrumented modules and unregisters the global provider. */
  shutdown(): Promise<void>;
}

/**
 * What the Temporal worker needs to export the spans that workflow code creates inside its sandbox: they do not
 * pass through the tracer provider, so they are handed to its span processor directly.
 */
export interface SpanSink {
  resource: Resource;
  spanProcessor?: SpanProcessor;
}

let active: SpanSink | undefined;

/** The span sink of the telemetry started by {@link initTelemetry}, if it is running. */
export const activeSpanSink = (): SpanSink | undefined => active;

const probePaths = new Set(['/healthz', '/readyz']);

/**
 * Starts OpenTelemetry tracing for this process: a Node tracer provider with the service's resource, the W3C
 * trace-context propagator, an async-local-storage context manager, and auto-instrumentation of http, express,
 * pg and kafkajs.
 *
 * The instrumentations work by hooking `require`, so this must run before any of those modules is loaded. A
 * service therefore has a `src/telemetry.ts` that calls `initTelemetry` and is the first import of `main.ts`:
 *
 * ```ts
 * // src/main.ts
 * import { telemetry } from './telemetry'; // first: patches http, express, pg, kafkajs before they load
 * import { closeOnSignals, runMain } from '@crm/platform';
 * ```
 *
 * Call it once per process; a second call before `shutdown()` throws.
 */
export function initTelemetry(settings: TelemetrySettings): Telemetry {
  if (active) throw new Error('initTelemetry: telemetry is already running in this process');
  const resource = defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }));
  const memoryExporter = settings.exporter === 'memory' ? new InMemorySpanExporter() : undefined;
  const spanProcessor = memoryExporter
    ? new SimpleSpanProcessor(memoryExporter)
    : settings.exporter === 'otlp'
      ? new BatchSpanProcessor(new OTLPTraceExporter(otlpOptions(settings.otlpEndpoint)))
      : undefined;

  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors: spanProcessor ? [spanProcessor] : [] });
  tracerProvider.register({ propagator: new W3CTraceContextPropagator() });
  const unpatch =
    settings.autoInstrument === false
      ? () => undefined
      : registerInstrumentations({
          tracerProvider,
          instrumentations: [
            new HttpInstrumentation({
              ignoreIncomingRequestHook: (req) => probePaths.has(new URL(req.url ?? '/', 'http://local').pathname),
            }),
            new ExpressInstrumentation(),
            // Without a parent span, a query is the outbox relay's or the pool's housekeeping: not worth a trace.
            new PgInstrumentation({ requireParentSpan: true }),
            new KafkaJsInstrumentation(),
          ],
        });
  active = { resource, spanProcessor };

  let stopped: Promise<void> | undefined;
  const shutdown = () =>
    (stopped ??= (async () => {
      unpatch();
      try {
        await tracerProvider.shutdown();
      } finally {
        trace.disable();
        context.disable();
        propagation.disable();
        active = undefined;
      }
    })());
  return { tracerProvider, memoryExporter, shutdown };
}

const otlpOptions = (endpoint: string | undefined) =>
  endpoint ? { url: `${endpoint.replace(/\/+$/, '')}/v1/traces` } : {};
