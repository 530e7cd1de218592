import { createTraceState, type Attributes, type SpanContext } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { OpenTelemetryWorkflowExporter, SerializableSpan } from '@temporalio/interceptors-opentelemetry';
import type { InjectedSink } from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';
import { activeSpanSink } from '../telemetry/init-telemetry';

/**
 * The `exporter` sink through which the workflow interceptors hand their spans out of the sandbox, feeding them to
 * the span processor of the telemetry started with `initTelemetry` (dropped when none is running).
 *
 * This replaces `makeWorkflowExporter` of `@temporalio/interceptors-opentelemetry`. That package (1.24.0) is built
 * on the OpenTelemetry SDK 1.x and makes SDK 1.x spans (`parentSpanId`, `instrumentationLibrary`, 1.x `Resource`);
 * our SDK 2.x processors read `parentSpanContext` and `instrumentationScope`, so its spans would lose their parent
 * and make the OTLP exporter throw. Here the serialized spans become SDK 2.x spans directly.
 */
export function workflowSpanSink(): InjectedSink<OpenTelemetryWorkflowExporter> {
  return {
    export: {
      fn: (info, spans) => {
        const sink = activeSpanSink();
        if (!sink?.spanProcessor) return;
        const attributes = workflowAttributes(info);
        for (const span of spans) sink.spanProcessor.onEnd(toReadableSpan(span, attributes, sink.resource));
      },
    },
  };
}

// The attribute keys are the ones the Temporal interceptors use on client and activity spans.
const workflowAttributes = (info: WorkflowInfo): Attributes => ({
  temporalWorkflowId: info.workflowId,
  run_id: info.runId,
  temporalWorkflowType: info.workflowType,
  temporalTaskQueue: info.taskQueue,
  temporalNamespace: info.namespace,
});

export function toReadableSpan(span: SerializableSpan, attributes: Attributes, resource: Resource): ReadableSpan {
  const { traceState, ...ids } = span.spanContext;
  const spanContext: SpanContext = { ...ids, traceState: traceState ? createTraceState(traceState) : undefined };
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => spanContext,
    parentSpanContext: span.parentSpanId
      ? { traceId: ids.traceId, spanId: span.parentSpanId, traceFlags: ids.traceFlags }
      : undefined,
    startTime: span.startTime,
    endTime: span.endTime,
    duration: span.duration,
    ended: span.ended,
    status: span.status,
    attributes: { ...span.attributes, ...attributes },
    links: span.links,
    events: span.events,
    resource,
    instrumentationScope: span.instrumentationLibrary,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}
