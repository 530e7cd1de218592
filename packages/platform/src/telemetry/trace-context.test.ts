import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { initTelemetry, type Telemetry } from './init-telemetry';
import {
  currentTraceContext,
  kafkaHeadersFromTrace,
  withSpan,
  withStoredTrace,
  withTraceFromKafkaHeaders,
  type StoredTraceContext,
} from './trace-context';

const traceparentPattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

let telemetry: Telemetry;
let spans: InMemorySpanExporter;

beforeEach(() => {
  telemetry = initTelemetry({ serviceName: 'platform-unit', exporter: 'memory', autoInstrument: false });
  spans = telemetry.memoryExporter!;
});
afterEach(() => telemetry.shutdown());

const finished = (name: string) => {
  const span = spans.getFinishedSpans().find((s) => s.name === name);
  if (!span) throw new Error(`no finished span named ${name}`);
  return span;
};

/** A request span that records an event: what an app use case does before appending an outbox row. */
async function traceOfARequest(): Promise<{ stored: StoredTraceContext; traceId: string; spanId: string }> {
  return withSpan('POST /invitations', async (span) => ({
    stored: currentTraceContext(),
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
  }));
}

describe('Kafka trace propagation', () => {
  it('captures the active span as a W3C traceparent', async () => {
    const { stored, traceId, spanId } = await traceOfARequest();

    expect(stored.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('captures nothing outside a span', () => {
    expect(currentTraceContext()).toEqual({});
    expect(kafkaHeadersFromTrace({})).toEqual({});
  });

  it('puts the stored trace context into Kafka headers', () => {
    const stored = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'crm=1' };

    expect(kafkaHeadersFromTrace(stored)).toEqual({
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'crm=1',
    });
  });

  it('continues the request trace in a consumer span that is a child of the request span', async () => {
    const { stored, traceId, spanId } = await traceOfARequest();
    // What kafkajs hands a consumer: header values arrive as Buffers.
    const headers = Object.fromEntries(
      Object.entries(kafkaHeadersFromTrace(stored)).map(([key, value]) => [key, Buffer.from(value)]),
    );

    const seenInside = await withTraceFromKafkaHeaders(headers, 'identity.user consume', async () =>
      trace.getActiveSpan()?.spanContext(),
    );

    const consumer = finished('identity.user consume');
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(consumer.spanContext().traceId).toBe(traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(spanId);
    expect(consumer.parentSpanContext?.isRemote).toBe(true);
    expect(seenInside).toEqual(consumer.spanContext());
  });

  it('links the publish, and through its headers the consumer, to the stored request trace', async () => {
    const { stored, traceId, spanId } = await traceOfARequest();

    // The relay runs later, inside some unrelated span of its own.
    const sentHeaders = await withSpan('outbox relay poll', () =>
      withStoredTrace(stored, 'identity.user publish', async () => kafkaHeadersFromTrace(currentTraceContext())),
    );
    await withTraceFromKafkaHeaders(sentHeaders, 'identity.user consume', async () => undefined);

    const publish = finished('identity.user publish');
    const consumer = finished('identity.user consume');
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.spanContext().traceId).toBe(traceId);
    expect(publish.parentSpanContext?.spanId).toBe(spanId);
    expect(consumer.spanContext().traceId).toBe(traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
    expect(finished('outbox relay poll').spanContext().traceId).not.toBe(traceId);
  });

  it('keeps the tracestate of the stored context', async () => {
    const stored = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'crm=1' };

    const forwarded = await withTraceFromKafkaHeaders(kafkaHeadersFromTrace(stored), 'consume', async () =>
      currentTraceContext(),
    );

    expect(forwarded.tracestate).toBe('crm=1');
    expect(forwarded.traceparent).toMatch(traceparentPattern);
    expect(forwarded.traceparent?.slice(3, 35)).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('starts a new trace for a message without trace headers, even inside another span', async () => {
    const { traceId } = await traceOfARequest();

    await withSpan('consumer loop', () => withTraceFromKafkaHeaders(undefined, 'consume', async () => undefined));

    const consumer = finished('consume');
    expect(consumer.parentSpanContext).toBeUndefined();
    expect(consumer.spanContext().traceId).not.toBe(traceId);
    expect(consumer.spanContext().traceId).not.toBe(finished('consumer loop').spanContext().traceId);
  });

  it('records a failure on the consumer span, ends it and rethrows', async () => {
    const failure = new Error('inbox insert failed');

    await expect(
      withTraceFromKafkaHeaders({}, 'consume', async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);

    const consumer = finished('consume');
    expect(consumer.status).toEqual({ code: SpanStatusCode.ERROR, message: 'inbox insert failed' });
    expect(consumer.events.map((event) => event.name)).toEqual(['exception']);
    expect(consumer.events[0]?.attributes?.['exception.message']).toBe('inbox insert failed');
  });

  it('sets the given attributes on a span', async () => {
    await withSpan('charge invoice', async () => undefined, { 'crm.account_id': 'acc_1' });

    expect(finished('charge invoice').attributes).toEqual({ 'crm.account_id': 'acc_1' });
  });
});

describe('initTelemetry', () => {
  it('names the service in the resource of every span', async () => {
    await withSpan('anything', async () => undefined);

    expect(finished('anything').resource.attributes['service.name']).toBe('platform-unit');
  });

  it('refuses a second start in the same process', () => {
    expect(() => initTelemetry({ serviceName: 'again', exporter: 'none' })).toThrow(/already running/);
  });
});
