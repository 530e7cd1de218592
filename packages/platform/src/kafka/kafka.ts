import { Kafka, logLevel, type Admin, type ITopicConfig, type LogEntry, type Producer } from 'kafkajs';
import { z } from 'zod';
import { commaList } from '../config/parse-config';
import type { Logger } from '../logger/logger';

export const kafkaSettingsSchema = z.object({
  KAFKA_BROKERS: commaList.default(['127.0.0.1:9092']),
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).default(3),
  /** Prepended to every topic name, so environments (or test runs) can share one cluster. */
  KAFKA_TOPIC_PREFIX: z.string().default(''),
});
export type KafkaSettings = z.infer<typeof kafkaSettingsSchema>;

const pinoLevel: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose own logs go through pino (a warning or worse by default). */
export function createKafka(settings: { brokers: string[]; clientId: string; logger: Logger; level?: logLevel }): Kafka {
  const logger = settings.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: settings.level ?? logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        logger[pinoLevel[level] ?? 'info'](extra, message);
      },
  });
}

/**
 * The one kind of producer the project uses: idempotent (the broker drops a retried duplicate) with one
 * request in flight so per-partition order survives retries. Sends must pass `acks: -1` (all replicas).
 */
export async function connectIdempotentProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  return producer;
}

/** Creates the topics that are missing (idempotent), waiting for their leaders. */
export async function ensureTopics(kafka: Kafka, topics: string[], partitions: number): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing: ITopicConfig[] = [...new Set(topics)]
      .filter((topic) => !existing.has(topic))
      .map((topic) => ({ topic, numPartitions: partitions, replicationFactor: -1 }));
    if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** The dead-letter topic of a consumer group: where its poison messages go, with the reason in headers. */
export const deadLetterTopic = (groupId: string) => `${groupId}.dlq`;

/**
 * Fails within a few seconds when no broker answers, so a service with a wrong KAFKA_BROKERS stops at start
 * with one clear line instead of retrying for a minute (kafkajs' own client retries far longer).
 */
export async function assertKafkaReachable(brokers: string[]): Promise<void> {
  const probe = new Kafka({
    clientId: 'reachability-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    retry: { retries: 2, initialRetryTime: 300 },
  }).admin();
  try {
    await probe.connect();
    await probe.describeCluster();
  } finally {
    await probe.disconnect().catch(() => undefined);
  }
}
