import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import type { Closer } from '../lifecycle/shutdown';
import type { Logger } from '../logger/logger';
import { installTemporalRuntimeLogger } from './runtime-logger';
import { workflowSpanSink } from './workflow-span-sink';

/**
 * The workflow interceptor modules a worker bundles: pass them as `workflowInterceptorModules` to
 * `bundleWorkflowCode` when a service ships a prebuilt `workflowBundle` (the worker ignores them then).
 */
export const workflowInterceptorModules: readonly string[] = [require.resolve('./workflow-interceptors')];

export interface ServiceWorkerSettings {
  /** From `connectWorkerConnection`, so that the Temporal Runtime logs through `logger`. */
  connection: NativeConnection;
  namespace: string;
  /** `identity`, `billing` or `account` (ARCHITECTURE.md rule 1). */
  taskQueue: string;
  activities?: object;
  /** The workflows to bundle at start (`require.resolve` of a module exporting them)... */
  workflowsPath?: string;
  /** ...or a bundle built ahead of time with {@link workflowInterceptorModules}. */
  workflowBundle?: WorkflowBundleOption;
  logger: Logger;
}

/**
 * A worker traced end to end: activities run in a span that continues the trace of the workflow that scheduled
 * them; workflows (through the interceptors bundled into the sandbox) continue the trace of whoever started,
 * signalled or updated them, and their spans are exported by the telemetry started with `initTelemetry`.
 * Logs of the worker, its activities and its workflows go to `logger` when the Runtime was installed by
 * `connectWorkerConnection`/`installTemporalRuntimeLogger`.
 */
export async function createServiceWorker(settings: ServiceWorkerSettings): Promise<Worker> {
  const { connection, namespace, taskQueue, activities, workflowsPath, workflowBundle, logger } = settings;
  if (!installTemporalRuntimeLogger(logger)) {
    logger.warn(
      { taskQueue },
      'the Temporal Runtime was created before installTemporalRuntimeLogger: its logs do not go through this logger',
    );
  }
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue,
    activities,
    workflowsPath,
    workflowBundle,
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
      // The client that activities get from their context.
      client: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
      workflowModules: [...workflowInterceptorModules],
    },
    sinks: { exporter: workflowSpanSink() },
  });
  logger.info({ taskQueue, namespace }, 'temporal worker created');
  return worker;
}

/** A running worker: close it (it drains in-flight tasks) from `closeOnSignals`, or await `done`. */
export interface RunningWorker extends Closer {
  /**
   * Settles when the worker has stopped. It rejects when the worker fails on its own (e.g. the server stays
   * unreachable): a service should treat that as fatal. Left unhandled, Node ends the process, which is the
   * right outcome for a service whose worker died.
   */
  done: Promise<void>;
}

/** Starts polling and returns the `Closer` that shuts the worker down gracefully. */
export function runWorkerUntilShutdown(worker: Worker): RunningWorker {
  const done = worker.run();
  return {
    name: `temporal-worker:${worker.options.taskQueue}`,
    done,
    close: async () => {
      // Already stopping (a previous close) or stopped: just wait for the end.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
