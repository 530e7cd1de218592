import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Kafka, Message, Producer } from 'kafkajs';
import { accountEvents, newEnvelope, type EventEnvelope } from '@crm/contracts';
import { createLogger } from '@crm/platform';
import { connectIdempotentProducer, createKafka, ensureTopics } from '@crm/platform/kafka';
import { createDatabase, migrateDatabase, type Database, type Tx } from '@crm/platform/pg';
import { appendToOutbox, defineConsumer, startConsumerGroup, startOutboxRelay } from '@crm/platform/messaging';
import { createTestDatabase, stackEnv, uniqueTopicPrefix } from '@crm/testing';
import type { BoundedRun } from './run-bounded';

// Errors only (a failing relay or consumer), and on stderr: stdout carries the figures.
const logger = createLogger({ service: 'messaging-bench', level: 'error', destination: process.stderr });

/** A relay or consumer group the rig started; stopping twice is harmless, and clean-up stops it anyway. */
export interface Stoppable {
  stop(): Promise<void>;
}

/** Records when each id first arrived, and lets a phase wait until a number of ids have. */
export class Arrivals {
  readonly at = new Map<string, number>();
  private waiters: { count: number; resolve: (reachedAt: number) => void }[] = [];

  record(id: string): void {
    if (this.at.has(id)) return;
    const now = performance.now();
    this.at.set(id, now);
    this.waiters = this.waiters.filter((waiter) =>
      this.at.size >= waiter.count ? (waiter.resolve(now), false) : true,
    );
  }

  /** Resolves with the time the `count`-th distinct id arrived. */
  waitFor(count: number): Promise<number> {
    if (this.at.size >= count) return Promise.resolve(performance.now());
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
}

/**
 * One service's worth of messaging on the real stack, as the platform's integration tests set it up: a fresh
 * database with the platform's tables and an `effects` table, one idempotent producer, and topics under a
 * prefix unique to the run. Everything it creates is removed by the run's clean-up.
 */
export class MessagingRig {
  readonly topicPrefix = uniqueTopicPrefix();
  readonly kafka: Kafka = createKafka({ brokers: stackEnv().KAFKA_BROKERS, clientId: 'messaging-bench', logger });
  db!: Database;
  databaseUrl!: string;
  producer!: Producer;
  private readonly topics: string[] = [];
  private readonly groups: string[] = [];

  constructor(
    private readonly run: BoundedRun,
    private readonly partitions: number,
  ) {}

  async setUp(): Promise<void> {
    const testDb = await createTestDatabase('bench_messaging');
    this.run.onCleanUp(`drop database ${testDb.name}`, () => testDb.drop());
    this.databaseUrl = testDb.url;
    await migrateDatabase({ url: testDb.url, serviceMigrationsDir: path.join(__dirname, '../migrations'), logger });
    this.db = createDatabase({ url: testDb.url, logger, applicationName: 'messaging-bench' });
    this.run.onCleanUp('close the database pool', () => this.db.close());
    this.run.onCleanUp(`delete topics and groups under ${this.topicPrefix}`, () => this.deleteTopicsAndGroups());
    this.producer = await connectIdempotentProducer(this.kafka);
    this.run.onCleanUp('disconnect the producer', () => this.producer.disconnect());
  }

  /** A valid `account.account.created.v1` envelope for a new account (its own key, so events spread over partitions). */
  accountCreated(): EventEnvelope<unknown> {
    const accountId = randomUUID();
    return newEnvelope(accountEvents.created, {
      accountId,
      actor: { kind: 'operator', id: 'bench' },
      payload: {
        accountId,
        name: 'Acme Dental',
        slug: `acme-${accountId.slice(0, 8)}`,
        timezone: 'America/Chicago',
        owner: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.test', phone: '+13125550100' },
        planId: 'starter',
        interval: 'BILLING_INTERVAL_MONTH',
        trialDays: 14,
        createdAt: new Date().toISOString(),
      },
    });
  }

  /** Commits one event through the outbox in its own transaction, as a use case would. */
  commit(event: EventEnvelope<unknown>): Promise<void> {
    return this.db.transaction((tx) => appendToOutbox(tx, event));
  }

  /** Commits each event in its own transaction, `writers` transactions at a time. */
  async commitEach(events: readonly EventEnvelope<unknown>[], writers: number): Promise<void> {
    let next = 0;
    const writer = async () => {
      while (next < events.length) await this.commit(events[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(writers, events.length) }, writer));
  }

  async unpublishedCount(): Promise<number> {
    return this.count('outbox WHERE published_at IS NULL');
  }

  /** Rows in a table (and condition) of the rig's database: `count('inbox')`. */
  async count(tableAndCondition: string): Promise<number> {
    const { rows } = await this.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${tableAndCondition}`);
    return rows[0]?.count ?? 0;
  }

  /** A fresh topic prefix under the run's, with the catalogue topic of `accountEvents.created` created below it. */
  async freshTopicPrefix(phase: string): Promise<{ prefix: string; topic: string }> {
    const prefix = `${this.topicPrefix}${phase}.`;
    const topic = `${prefix}${accountEvents.created.topic}`;
    this.topics.push(topic); // before creating it: a run stopped meanwhile still deletes it
    await ensureTopics(this.kafka, [topic], this.partitions);
    return { prefix, topic };
  }

  /** The platform's relay with its defaults, publishing under `topicPrefix`; stopped by `stop()` or at clean-up. */
  async startRelay(topicPrefix: string, batchSize: number): Promise<Stoppable> {
    const starting = startOutboxRelay({
      db: this.db,
      databaseUrl: this.databaseUrl,
      producer: this.producer,
      logger,
      topicPrefix,
      batchSize,
    });
    const stop = once(async () => (await starting).stop());
    this.run.onCleanUp(`stop the relay of ${topicPrefix}`, stop); // even if the run stops while it starts
    await starting;
    return { stop };
  }

  /**
   * The platform's consumer group with one consumer whose effect is an `effects` row: every committed effect is
   * recorded in `committed` at the moment its transaction (inbox row + effect) has committed.
   */
  async startEffectConsumer(topicPrefix: string, committed: Arrivals): Promise<Stoppable> {
    const { db, tagEffect } = reportingCommits(this.db, (eventId) => committed.record(eventId));
    const recordEffect = defineConsumer<unknown, null>({
      name: 'messaging-bench.record-effect',
      event: accountEvents.created,
      handle: async (tx, event) => {
        await tx.query('INSERT INTO effects (event_id, account_id) VALUES ($1, $2)', [event.id, event.accountId]);
        tagEffect(tx, event.id);
      },
    });
    const groupId = 'messaging-bench';
    this.groups.push(`${topicPrefix}${groupId}`); // the platform prefixes group ids as it does topics
    const starting = startConsumerGroup({
      kafka: this.kafka,
      db,
      groupId,
      consumers: [recordEffect],
      deps: null,
      producer: this.producer,
      logger,
      topicPrefix,
    });
    const stop = once(async () => (await starting).stop());
    this.run.onCleanUp(`stop consumer group ${topicPrefix}${groupId}`, stop);
    await starting;
    return { stop };
  }

  /** A bare kafkajs consumer group that records the `event-id` header of each message and does nothing else. */
  async startRawConsumer(topicPrefix: string, topic: string, consumed: Arrivals): Promise<Stoppable> {
    const groupId = `${topicPrefix}raw-consumer`;
    this.groups.push(groupId);
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    const stop = once(() => consumer.disconnect());
    this.run.onCleanUp(`stop consumer group ${groupId}`, stop);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => consumed.record(String(message.headers?.['event-id'])) });
    return { stop };
  }

  /** Sends with the idempotent producer and acks=all, `batchSize` messages per request, one request at a time (as the relay does). */
  async sendInBatches(topic: string, messages: readonly Message[], batchSize: number): Promise<void> {
    for (let start = 0; start < messages.length; start += batchSize) {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [{ topic, messages: messages.slice(start, start + batchSize) }],
      });
    }
  }

  private async deleteTopicsAndGroups(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      if (this.groups.length > 0) await admin.deleteGroups(this.groups).catch(() => undefined); // offsets expire anyway
      const existing = new Set(await admin.listTopics());
      const topics = this.topics.filter((topic) => existing.has(topic));
      if (topics.length > 0) await admin.deleteTopics({ topics });
    } finally {
      await admin.disconnect();
    }
  }
}

/**
 * The database handed to the consumer group, reporting each effect once its transaction has committed: the
 * handler tags its transaction with the event id, and `transaction` reports the tag after COMMIT returned.
 * The consumer wrapper runs the inbox row and the effect in one `db.transaction`, so this is the moment the
 * effect becomes visible to everyone else.
 */
function reportingCommits(db: Database, onCommitted: (eventId: string) => void) {
  const tags = new Map<Tx, string>();
  const reporting: Database = {
    ...db,
    async transaction(work) {
      let tag: string | undefined;
      const result = await db.transaction(async (tx) => {
        try {
          return await work(tx);
        } finally {
          tag = tags.get(tx);
          tags.delete(tx);
        }
      });
      if (tag !== undefined) onCommitted(tag);
      return result;
    },
  };
  return { db: reporting, tagEffect: (tx: Tx, eventId: string) => tags.set(tx, eventId) };
}

function once(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => (stopping ??= stop());
}
