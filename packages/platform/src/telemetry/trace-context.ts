import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { IHeaders } from 'kafkajs';

/**
 * The W3C trace context of the moment an event was recorded, as stored in an outbox row and carried in the
 * Kafka headers of the published message.
 *
 * Why the stored one and not whatever is active when the message is sent: the outbox relay publishes long after
 * the request that wrote the row, from its own loop, where the request's context is gone. So the relay restores
 * the stored context with {@link withStoredTrace} before sending, and consumers continue from the headers with
 * {@link withTraceFromKafkaHeaders}. If the kafkajs instrumentation also injects headers on send, it does so
 * from inside that restored span, so the consumer still lands in the request's trace either way.
 */
export interface StoredTraceContext {
  traceparent?: string;
  tracestate?: string;
}

// Always W3C, whatever the global propagator is: the outbox columns and the Kafka headers are W3C by contract.
const w3c = new W3CTraceContextPropagator();
const tracer = () => trace.getTracer('@crm/platform');

type Carrier = Record<string, string>;
const carrierGetter: TextMapGetter<Carrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** The trace context active now (e.g. inside a request), to store beside an event in the outbox. */
export function currentTraceContext(): StoredTraceContext {
  const carrier: Carrier = {};
  w3c.inject(context.active(), carrier, { set: (target, key, value) => (target[key] = value) });
  return pickTraceFields(carrier);
}

/** The Kafka message headers that carry a stored trace context; empty when there is none. */
export function kafkaHeadersFromTrace(stored: StoredTraceContext): Record<string, string> {
  return pickTraceFields(stored);
}

/**
 * Runs `fn` in a new CONSUMER span whose parent is the trace context carried in a message's headers (a root span
 * when the headers carry none). Exceptions are recorded on the span and rethrown; the span always ends.
 */
export function withTraceFromKafkaHeaders<T>(
  headers: IHeaders | undefined,
  spanName: string,
  fn: (span: Span) => Promise<T>,
  attributes?: Attributes,
): Promise<T> {
  const parent = extract(context.active(), kafkaHeaderValues(headers));
  return inSpan(parent, spanName, SpanKind.CONSUMER, fn, attributes);
}

/**
 * Runs `fn` in a new PRODUCER span whose parent is a stored trace context (see {@link StoredTraceContext}), not
 * whatever is active in the caller: the outbox relay wraps each publish in it. A root span when nothing was stored.
 */
export function withStoredTrace<T>(
  stored: StoredTraceContext,
  spanName: string,
  fn: (span: Span) => Promise<T>,
  attributes?: Attributes,
): Promise<T> {
  const parent = extract(ROOT_CONTEXT, pickTraceFields(stored));
  return inSpan(parent, spanName, SpanKind.PRODUCER, fn, attributes);
}

/** Runs `fn` in a new INTERNAL span, a child of the active one. Exceptions are recorded and rethrown. */
export function withSpan<T>(spanName: string, fn: (span: Span) => Promise<T>, attributes?: Attributes): Promise<T> {
  return inSpan(context.active(), spanName, SpanKind.INTERNAL, fn, attributes);
}

/**
 * The parent comes from the carrier alone: a span that happens to be active (say, the one around `consumer.run`)
 * must not adopt a message that carries no (or an invalid) traceparent. Other context entries are kept.
 */
function extract(base: Context, carrier: Carrier): Context {
  return w3c.extract(trace.deleteSpan(base), carrier, carrierGetter);
}

function inSpan<T>(
  parent: Context,
  spanName: string,
  kind: SpanKind,
  fn: (span: Span) => Promise<T>,
  attributes: Attributes | undefined,
): Promise<T> {
  return tracer().startActiveSpan(spanName, { kind, attributes }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

function kafkaHeaderValues(headers: IHeaders | undefined): Carrier {
  const carrier: Carrier = {};
  for (const key of ['traceparent', 'tracestate'] as const) {
    const raw = headers?.[key];
    const first = Array.isArray(raw) ? raw[0] : raw;
    if (first !== undefined) carrier[key] = first.toString();
  }
  return carrier;
}

function pickTraceFields(source: StoredTraceContext): Carrier {
  const picked: Carrier = {};
  if (source.traceparent) picked.traceparent = source.traceparent;
  if (source.tracestate) picked.tracestate = source.tracestate;
  return picked;
}
