import type { EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { decodeEvent, type EventEnvelope } from '@crm/contracts';
import { withTraceFromKafkaHeaders } from '../telemetry';
import { deadLetterTopic } from '../kafka/kafka';
import type { Database, Tx } from '../pg/database';
import type { Logger } from '../logger/logger';

/** What a consumer file declares: its inbox name, the event it handles, and the effect. */
export interface ConsumerDefinition<P = unknown, D = unknown> {
  /** The inbox key together with the event id: renaming a consumer makes it see every event again. */
  name: string;
  event: { type: string; topic: string };
  handle: (tx: Tx, event: EventEnvelope<P>, deps: D) => Promise<void>;
}

export function defineConsumer<P, D>(definition: ConsumerDefinition<P, D>): ConsumerDefinition<P, D> {
  return definition;
}

export interface ConsumerGroupSettings<D> {
  kafka: Kafka;
  db: Database;
  groupId: string;
  consumers: ConsumerDefinition<never, D>[];
  deps: D;
  /** Publishes poison messages to `<groupId>.dlq`. */
  producer: Producer;
  logger: Logger;
  /** The same prefix the relay publishes with. */
  topicPrefix?: string;
  /** Attempts of a failing handler before its message goes to the dead-letter topic. */
  maxAttempts?: number;
  initialBackoffMs?: number;
  /** How many partitions are handled at once (each message is its own transaction); default 3. */
  partitionsConcurrency?: number;
}

export interface RunningConsumerGroup {
  stop(): Promise<void>;
}

/**
 * Runs a consumer group: decode and validate each message, then for each consumer of its type record
 * (consumer, event id) in the inbox and apply the effect in one transaction. A redelivered event finds its
 * inbox row and is skipped. A message that cannot be decoded, or whose handler keeps failing after
 * `maxAttempts` with backoff, goes to the dead-letter topic so its partition keeps moving.
 */
export async function startConsumerGroup<D>(settings: ConsumerGroupSettings<D>): Promise<RunningConsumerGroup> {
  const { db, logger, groupId } = settings;
  const maxAttempts = settings.maxAttempts ?? 5;
  const initialBackoffMs = settings.initialBackoffMs ?? 200;
  const byType = new Map<string, ConsumerDefinition<never, D>[]>();
  for (const consumer of settings.consumers) {
    byType.set(consumer.event.type, [...(byType.get(consumer.event.type) ?? []), consumer]);
  }
  const topics = [...new Set(settings.consumers.map((consumer) => `${settings.topicPrefix ?? ''}${consumer.event.topic}`))];

  const deadLetter = async (payload: EachMessagePayload, reason: string, consumerName?: string) => {
    const { topic, partition, message } = payload;
    logger.error({ topic, partition, offset: message.offset, reason, consumer: consumerName }, 'message dead-lettered');
    await settings.producer.send({
      topic: `${settings.topicPrefix ?? ''}${deadLetterTopic(groupId)}`,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'dlq-reason': reason.slice(0, 1000),
            'dlq-source': `${topic}/${partition}/${message.offset}`,
            ...(consumerName ? { 'dlq-consumer': consumerName } : {}),
          },
        },
      ],
    });
  };

  const applyOnce = async (consumer: ConsumerDefinition<never, D>, event: EventEnvelope<unknown>) =>
    db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `INSERT INTO inbox (consumer, event_id, event_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [consumer.name, event.id, event.type],
      );
      if (rowCount === 0) return 'duplicate' as const;
      await consumer.handle(tx, event as EventEnvelope<never>, settings.deps);
      return 'applied' as const;
    });

  const handleMessage = async (payload: EachMessagePayload) => {
    let event: EventEnvelope<unknown>;
    try {
      if (!payload.message.value) throw new Error('empty message value');
      event = decodeEvent(payload.message.value);
    } catch (error) {
      return deadLetter(payload, `undecodable: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const consumer of byType.get(event.type) ?? []) {
      await withTraceFromKafkaHeaders(payload.message.headers, `consume ${event.type}`, async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            const outcome = await applyOnce(consumer, event);
            logger.debug({ consumer: consumer.name, eventId: event.id, accountId: event.accountId, outcome }, 'event consumed');
            return;
          } catch (error) {
            if (attempt >= maxAttempts) {
              const reason = `handler failed ${attempt} times: ${error instanceof Error ? error.message : String(error)}`;
              return deadLetter(payload, reason, consumer.name);
            }
            const delay = initialBackoffMs * 2 ** (attempt - 1);
            logger.warn({ err: error, consumer: consumer.name, eventId: event.id, attempt, retryInMs: delay }, 'consumer failed; retrying');
            await new Promise((resolve) => setTimeout(resolve, delay));
          }
        }
      });
    }
  };

  // The prefix isolates consumer groups too: a test run's `identity` group is not the running service's.
  // maxWaitTimeInMs: a fetch waits at most this long for data, so disconnect (shutdown) takes ~0.2 s, not 5 s.
  const consumer = settings.kafka.consumer({
    groupId: `${settings.topicPrefix ?? ''}${groupId}`,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 500,
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  // Partitions are consumed in parallel (order holds within a partition, i.e. per account).
  await consumer.run({ eachMessage: handleMessage, partitionsConsumedConcurrently: settings.partitionsConcurrency ?? 3 });
  return { stop: () => consumer.disconnect() };
}
