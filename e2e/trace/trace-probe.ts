// Runs the whole walking skeleton in ONE process with OpenTelemetry's real auto-instrumentation and an in-memory
// span exporter, provisions an account through the gateway, and prints the spans of that request's trace as JSON.
// Jest cannot host this itself: its module registry bypasses the require hooks that instrument http and pg.
// Used by e2e/trace.e2e.test.ts; isolated from the running services by its own databases, topic prefix,
// Temporal namespace and ports.
import type { Connection } from '@temporalio/client';
import { initTelemetry } from '@crm/platform/telemetry';

const telemetry = initTelemetry({ serviceName: 'walking-skeleton', exporter: 'memory' });

async function main() {
  const { randomUUID } = await import('node:crypto');
  const { Connection: TemporalConnection } = await import('@temporalio/client');
  const { createLogger } = await import('@crm/platform');
  const { startService } = await import('@crm/platform/service');
  const { createTestDatabase, eventually, stackEnv, uniqueTopicPrefix } = await import('@crm/testing');
  const { accountService } = await import('../../services/account/src/service');
  const { loadConfig: accountConfig } = await import('../../services/account/src/config');
  const { identityService } = await import('../../services/identity/src/service');
  const { loadConfig: identityConfig } = await import('../../services/identity/src/config');
  const { createBillingService } = await import('../../services/billing/src/service');
  const { loadConfig: billingConfig } = await import('../../services/billing/src/config');
  const { createGatewayApp } = await import('../../services/gateway/src/app');
  const { createServiceClients } = await import('../../services/gateway/src/clients');

  const env = stackEnv();
  const logger = createLogger({ service: 'trace-probe', level: 'warn' });
  const namespace = 'trace-probe';
  await registerNamespace(TemporalConnection, env.TEMPORAL_ADDRESS, namespace);

  const topicPrefix = uniqueTopicPrefix();
  const closers: (() => Promise<unknown>)[] = [];
  /** Each service's own config loader, pointed at the probe's database, topics, namespace and port. */
  const envFor = (service: string, port: number, databaseUrl: string) => ({
    ...process.env,
    DATABASE_URL: databaseUrl,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    KAFKA_TOPIC_PARTITIONS: '1',
    TEMPORAL_NAMESPACE: namespace,
    LOG_LEVEL: 'warn',
    OTEL_TRACES_EXPORTER: 'none',
    [`${service.toUpperCase()}_HTTP_PORT`]: String(port),
  });
  const services = [
    { name: 'account', port: 18181, build: (env: NodeJS.ProcessEnv) => ({ definition: accountService, settings: accountConfig(env) }) },
    {
      name: 'identity',
      port: 18182,
      build: (env: NodeJS.ProcessEnv) => {
        const settings = identityConfig(env);
        return { definition: identityService(settings.identity), settings };
      },
    },
    {
      name: 'billing',
      port: 18183,
      build: (env: NodeJS.ProcessEnv) => {
        const settings = billingConfig(env);
        return { definition: createBillingService(settings.billing), settings };
      },
    },
  ];
  try {
    for (const { name, port, build } of services) {
      const database = await createTestDatabase(`trace_${name}`);
      closers.push(() => database.drop());
      const { definition, settings } = build(envFor(name, port, database.url));
      const running = await startService(definition as never, settings, logger);
      closers.push(async () => {
        for (const closer of [...running.closers].reverse()) await closer.close();
      });
    }
    const operatorToken = `probe-${randomUUID()}`;
    const app = createGatewayApp({
      clients: createServiceClients({
        GATEWAY_ACCOUNT_SERVICE_URL: 'http://127.0.0.1:18181',
        GATEWAY_IDENTITY_SERVICE_URL: 'http://127.0.0.1:18182',
        GATEWAY_BILLING_SERVICE_URL: 'http://127.0.0.1:18183',
      } as never),
      operatorToken,
      authenticate: async () => {
        throw new Error('not used by the probe');
      },
      publicUrl: 'http://127.0.0.1:18180',
      logger,
      readinessChecks: [],
    });
    const server = app.listen(18180, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    closers.push(() => new Promise((resolve) => server.close(resolve)));

    const response = await fetch('http://127.0.0.1:18180/operator/v1/accounts', {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Traced Dental',
        timezone: 'Europe/Paris',
        owner: { firstName: 'Ada', lastName: 'Lovelace', email: `ada.${randomUUID().slice(0, 6)}@acme.test`, phone: '+33612345678' },
        planId: 'starter',
        interval: 'month',
      }),
    });
    const { account } = (await response.json()) as { account: { id: string } };
    await eventually(async () => {
      const { account: current } = (await (
        await fetch(`http://127.0.0.1:18180/operator/v1/accounts/${account.id}`, { headers: { authorization: `Bearer ${operatorToken}` } })
      ).json()) as { account: { status: string } };
      return current.status === 'active' ? true : undefined;
    }, 30_000);
    // Workflow spans reach the exporter through the worker's sink after the workflow task completes, a moment
    // after the account turned active: wait for the workflow's own span before reading the trace.
    const finished = () => telemetry.memoryExporter?.getFinishedSpans() ?? [];
    await eventually(async () => {
      await telemetry.tracerProvider.forceFlush();
      return finished().some((span) => span.name === 'RunWorkflow:accountProvisioningWorkflow') ? true : undefined;
    }, 15_000);
    const spans = finished();
    const requestSpan = spans.find((span) => span.name.startsWith('POST') && span.kind === 1 /* SERVER */ && span.attributes['http.route'] === '/operator/v1/accounts');
    const traceId = requestSpan?.spanContext().traceId;
    const inTrace = spans
      .filter((span) => span.spanContext().traceId === traceId)
      .map((span) => ({ name: span.name, kind: span.kind, service: String(span.resource.attributes['service.name'] ?? '') }));
    process.stdout.write(`${JSON.stringify({ accountId: account.id, status: response.status, traceId, spans: inTrace })}\n`);
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await telemetry.shutdown();
  }
}

async function registerNamespace(connectionClass: typeof Connection, address: string, namespace: string) {
  const { msToTs } = await import('@temporalio/common/lib/time');
  const connection = await connectionClass.connect({ address });
  try {
    await connection.workflowService
      .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') })
      .catch((error: { code?: number }) => {
        if (error.code !== 6) throw error; // ALREADY_EXISTS
      });
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    await connection.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`trace probe failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
