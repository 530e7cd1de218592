/**
 * Workflow interceptors module, bundled into the workflow sandbox by `createServiceWorker` (pass
 * `workflowInterceptorModules` to `bundleWorkflowCode` when building a bundle ahead of time). It runs inside the
 * deterministic sandbox, so it imports only the interceptors' workflow entry point and types.
 *
 * Each workflow run, activity and child-workflow start, signal, query and update becomes a span that continues the
 * trace carried in the Temporal headers; the spans leave the sandbox through the `exporter` sink.
 */
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new OpenTelemetryInboundInterceptor()],
  outbound: [new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
