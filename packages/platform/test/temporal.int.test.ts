import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { NativeConnection } from '@temporalio/worker';
import { parseConfig } from '../src/config/parse-config';
import { createLogger } from '../src/logger/logger';
import { initTelemetry, type Telemetry } from '../src/telemetry';
import {
  connectTemporalClient,
  connectWorkerConnection,
  createServiceWorker,
  ensureSearchAttributes,
  runWorkerUntilShutdown,
  searchAttributesForAccount,
  temporalSettingsSchema,
  type RunningWorker,
  type TemporalClient,
} from '../src/temporal';
import * as activities from './fixtures/traced.activities';
import { describeAccountWorkflow } from './fixtures/traced.workflows';

const workflowsPath = require.resolve('./fixtures/traced.workflows');

/** Retries `read` until `accept` holds: Temporal visibility and the log/span sinks are eventually consistent. */
async function eventually<T>(read: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('Temporal bootstrap against the local dev server', () => {
  const settings = parseConfig(
    'temporal integration test (eval "$(bash deploy/local/stack.sh env)")',
    temporalSettingsSchema,
  );
  const taskQueue = `platform-int-${randomUUID()}`;
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'platform-int',
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    }),
  });
  let telemetry: Telemetry;
  let connection: NativeConnection;
  let client: TemporalClient;
  let worker: RunningWorker;

  beforeAll(async () => {
    telemetry = initTelemetry({ serviceName: 'platform-int', exporter: 'memory', autoInstrument: false });
    connection = await connectWorkerConnection({ address: settings.TEMPORAL_ADDRESS, logger });
    client = await connectTemporalClient({
      address: settings.TEMPORAL_ADDRESS,
      namespace: settings.TEMPORAL_NAMESPACE,
    });
    worker = runWorkerUntilShutdown(
      await createServiceWorker({
        connection,
        namespace: settings.TEMPORAL_NAMESPACE,
        taskQueue,
        activities,
        workflowsPath,
        logger,
      }),
    );
  }, 30_000);

  afterAll(async () => {
    await worker?.close();
    await client?.connection.close();
    await connection?.close();
    await telemetry?.shutdown();
  });

  it('registers the AccountId search attribute idempotently', async () => {
    await ensureSearchAttributes(client.connection, settings.TEMPORAL_NAMESPACE);
    await ensureSearchAttributes(connection, settings.TEMPORAL_NAMESPACE);

    const { customAttributes } = await client.connection.operatorService.listSearchAttributes({
      namespace: settings.TEMPORAL_NAMESPACE,
    });
    expect(Object.keys(customAttributes ?? {})).toContain('AccountId');
  });

  describe('a workflow started with the account search attribute inside a request span', () => {
    const accountId = `acc_${randomUUID()}`;
    const workflowId = `describe-account-${accountId}`;
    let requestTraceId: string;
    let requestSpanId: string;
    let result: string;

    beforeAll(async () => {
      await ensureSearchAttributes(client.connection, settings.TEMPORAL_NAMESPACE);
      result = await trace.getTracer('test').startActiveSpan('POST /accounts/:id/describe', async (span) => {
        requestTraceId = span.spanContext().traceId;
        requestSpanId = span.spanContext().spanId;
        try {
          const handle = await client.workflow.start(describeAccountWorkflow, {
            taskQueue,
            workflowId,
            args: [accountId],
            typedSearchAttributes: searchAttributesForAccount(accountId),
          });
          return await handle.result();
        } finally {
          span.end();
        }
      });
    }, 30_000);

    it('runs on the service worker', () => {
      expect(result).toBe(`account ${accountId}`);
    });

    it('is listed by its AccountId', async () => {
      const listed = await eventually(
        async () => {
          const ids: string[] = [];
          for await (const execution of client.workflow.list({ query: `AccountId='${accountId}'` })) {
            ids.push(execution.workflowId);
          }
          return ids;
        },
        (ids) => ids.length > 0,
      );

      expect(listed).toEqual([workflowId]);
    });

    it('continues the trace of the request span, from the client through the workflow to the activity', async () => {
      const named = (spans: ReadableSpan[], name: string) => spans.find((span) => span.name === name);
      const spans = await eventually(
        () => telemetry.memoryExporter!.getFinishedSpans(),
        (finished) =>
          ['RunWorkflow:describeAccountWorkflow', 'RunActivity:describeAccount'].every((name) => named(finished, name)),
      );
      const start = named(spans, 'StartWorkflow:describeAccountWorkflow')!;
      const run = named(spans, 'RunWorkflow:describeAccountWorkflow')!;
      const schedule = named(spans, 'StartActivity:describeAccount')!;
      const activity = named(spans, 'RunActivity:describeAccount')!;

      for (const span of [start, run, schedule, activity]) expect(span.spanContext().traceId).toBe(requestTraceId);
      expect(start.parentSpanContext?.spanId).toBe(requestSpanId);
      expect(run.parentSpanContext?.spanId).toBe(start.spanContext().spanId);
      expect(schedule.parentSpanContext?.spanId).toBe(run.spanContext().spanId);
      expect(activity.parentSpanContext?.spanId).toBe(schedule.spanContext().spanId);
      expect(run.resource.attributes['service.name']).toBe('platform-int');
      expect(run.attributes).toMatchObject({ temporalWorkflowId: workflowId, temporalTaskQueue: taskQueue });
    });

    it("logs the workflow's own log lines through the service's logger, with workflow and trace ids", async () => {
      const line = await eventually(
        () => logLines.find((entry) => entry.msg === 'describing account' && entry.workflowId === workflowId),
        (entry) => entry !== undefined,
      );

      expect(line).toMatchObject({
        service: 'platform-int',
        component: 'temporal',
        level: 'info',
        accountId,
        workflowId,
        taskQueue,
        traceId: requestTraceId,
      });
    });
  });
});
