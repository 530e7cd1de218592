import type { Server } from 'node:http';
import type { ConnectRouter } from '@connectrpc/connect';
import type { Client } from '@temporalio/client';
import type { Producer } from 'kafkajs';
import { allTopics } from '@crm/contracts';
import type { Closer } from '../lifecycle/shutdown';
import { closeServer, listenHttpService } from '../lifecycle/run-http-service';
import type { Logger } from '../logger/logger';
import { assertKafkaReachable, connectIdempotentProducer, createKafka, deadLetterTopic, ensureTopics } from '../kafka/kafka';
import { startConsumerGroup, type ConsumerDefinition } from '../messaging/consumer';
import { startOutboxRelay } from '../messaging/outbox-relay';
import { createDatabase, type Database } from '../pg/database';
import { ensureDatabase } from '../pg/ensure-database';
import { migrateDatabase } from '../pg/migrate';
import { connectHandler } from '../rpc/rpc';
import {
  connectTemporalClient,
  connectWorkerConnection,
  createServiceWorker,
  ensureSearchAttributes,
  runWorkerUntilShutdown,
} from '../temporal';
import type { ServiceSettings } from './service-settings';

/** The infrastructure a service's use cases are built on. */
export interface ServiceInfrastructure {
  db: Database;
  temporal: Client;
  producer: Producer;
  logger: Logger;
}

/** What a back-end service is, declaratively; `startService` wires it to the infrastructure. */
export interface ServiceDefinition<D> {
  /** Also its Temporal task queue, Kafka consumer group and database role. */
  name: string;
  migrationsDir: string;
  buildDeps(infrastructure: ServiceInfrastructure): D;
  consumers: ConsumerDefinition<never, D>[];
  activities(deps: D): object;
  /** The workflow bundle entry, for the service whose task queue hosts workflows. */
  workflowsPath?: string;
  routes(deps: D): (router: ConnectRouter) => void;
}

export interface RunningService<D> {
  deps: D;
  url: string;
  /** In start order; close them in reverse (closeOnSignals does). */
  closers: Closer[];
}

/**
 * Starts one back-end service: database (migrated), outbox relay, Kafka consumer group, Temporal worker on
 * the service's task queue, and the internal HTTP API with /healthz and /readyz. A dependency that cannot
 * be reached stops the start with an error naming it.
 */
export async function startService<D>(
  definition: ServiceDefinition<D>,
  settings: ServiceSettings,
  logger: Logger,
): Promise<RunningService<D>> {
  const closers: Closer[] = [];
  const step = async <T>(dependency: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      await Promise.allSettled([...closers].reverse().map((closer) => closer.close()));
      throw new Error(`${dependency}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };

  const db = await step(`PostgreSQL at ${redact(settings.DATABASE_URL)}`, async () => {
    if (settings.DATABASE_CREATE_IF_MISSING) await ensureDatabase(settings.DATABASE_URL);
    await migrateDatabase({ url: settings.DATABASE_URL, serviceMigrationsDir: definition.migrationsDir, logger });
    return createDatabase({ url: settings.DATABASE_URL, logger, applicationName: definition.name });
  });
  closers.push({ name: 'database', close: () => db.close() });

  const kafka = createKafka({ brokers: settings.KAFKA_BROKERS, clientId: definition.name, logger });
  const prefix = settings.KAFKA_TOPIC_PREFIX;
  const producer = await step(`Kafka at ${settings.KAFKA_BROKERS.join(',')}`, async () => {
    await assertKafkaReachable(settings.KAFKA_BROKERS);
    const topics = [...allTopics, deadLetterTopic(definition.name)].map((topic) => `${prefix}${topic}`);
    await ensureTopics(kafka, topics, settings.KAFKA_TOPIC_PARTITIONS);
    return connectIdempotentProducer(kafka);
  });
  closers.push({ name: 'kafka producer', close: () => producer.disconnect() });
  const admin = kafka.admin();
  await step(`Kafka at ${settings.KAFKA_BROKERS.join(',')}`, () => admin.connect());
  closers.push({ name: 'kafka admin', close: () => admin.disconnect() });

  const connection = await step(`Temporal at ${settings.TEMPORAL_ADDRESS}`, () =>
    connectWorkerConnection({ address: settings.TEMPORAL_ADDRESS, logger }),
  );
  closers.push({ name: 'temporal worker connection', close: () => connection.close() });
  const temporal = await step(`Temporal at ${settings.TEMPORAL_ADDRESS}`, async () => {
    const client = await connectTemporalClient({ address: settings.TEMPORAL_ADDRESS, namespace: settings.TEMPORAL_NAMESPACE });
    await ensureSearchAttributes(client.connection, settings.TEMPORAL_NAMESPACE);
    return client;
  });
  closers.push({ name: 'temporal client', close: () => temporal.connection.close() });

  const deps = definition.buildDeps({ db, temporal, producer, logger });

  const relay = await startOutboxRelay({ db, databaseUrl: settings.DATABASE_URL, producer, logger, topicPrefix: prefix });
  closers.push({ name: 'outbox relay', close: () => relay.stop() });

  const worker = await createServiceWorker({
    connection,
    namespace: settings.TEMPORAL_NAMESPACE,
    taskQueue: definition.name,
    activities: definition.activities(deps),
    workflowsPath: definition.workflowsPath,
    logger,
  });
  closers.push(runWorkerUntilShutdown(worker));

  const consumers = await startConsumerGroup({
    kafka,
    db,
    groupId: definition.name,
    consumers: definition.consumers,
    deps,
    producer,
    logger,
    topicPrefix: prefix,
  });
  closers.push({ name: 'kafka consumers', close: () => consumers.stop() });

  const server: Server = await listenHttpService({
    name: definition.name,
    host: settings.http.host,
    port: settings.http.port,
    logger,
    handler: connectHandler(definition.routes(deps), logger),
    readinessChecks: [
      { name: 'postgres', check: () => db.query('SELECT 1') },
      { name: 'temporal', check: () => temporal.connection.healthService.check({}) },
      { name: 'kafka', check: () => admin.describeCluster() },
    ],
  });
  closers.push({ name: 'http', close: () => closeServer(server) });

  return { deps, closers, url: `http://${settings.http.host}:${settings.http.port}` };
}

const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
