import type { Producer } from 'kafkajs';
import pg from 'pg';
import { encodeEvent, type EventEnvelope } from '@crm/contracts';
import { kafkaHeadersFromTrace, withStoredTrace } from '../telemetry';
import type { Database } from '../pg/database';
import type { Logger } from '../logger/logger';

export interface OutboxRow {
  position: string;
  event_id: string;
  topic: string;
  message_key: string;
  event_type: string;
  envelope: EventEnvelope<unknown>;
  headers: { traceparent?: string; tracestate?: string };
}

export interface OutboxRelaySettings {
  db: Database;
  /** Connection string for the LISTEN connection (the pool's clients come and go). */
  databaseUrl: string;
  producer: Producer;
  logger: Logger;
  /** Prepended to every catalogue topic: environments or test runs sharing one cluster stay apart. */
  topicPrefix?: string;
  batchSize?: number;
  /** Safety net when a notification is missed: look at the table at least this often. */
  pollIntervalMs?: number;
  /** Published rows older than this are deleted; the outbox is a queue, not an archive. */
  retentionMs?: number;
  /**
   * Runs after a batch is on Kafka and before it is marked published. Only tests set it, to reproduce a
   * relay that dies at that exact point (the batch is then published again: consumers deduplicate).
   */
  afterPublishForTest?: (rows: OutboxRow[]) => Promise<void>;
}

export interface OutboxRelay {
  /** Publishes one batch of unpublished rows; returns how many it published. */
  drainOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Publishes the outbox at least once, in order: claims a batch with FOR UPDATE SKIP LOCKED, sends it with
 * the idempotent producer (acks=all), marks it published, commits. Woken by NOTIFY on insert.
 */
export async function startOutboxRelay(settings: OutboxRelaySettings): Promise<OutboxRelay> {
  const { db, producer, logger } = settings;
  const batchSize = settings.batchSize ?? 500;
  const pollIntervalMs = settings.pollIntervalMs ?? 1_000;
  const retentionMs = settings.retentionMs ?? 7 * 24 * 60 * 60 * 1000;
  let running = true;
  let wake: (() => void) | undefined;
  let notified = false; // a NOTIFY that arrived while a batch was being published
  let lastCleanup = 0;

  const listener = new pg.Client({ connectionString: settings.databaseUrl, application_name: 'outbox-relay-listen' });
  listener.on('notification', () => {
    notified = true;
    wake?.();
  });
  listener.on('error', (error) => logger.warn({ err: error }, 'outbox LISTEN connection failed; polling until restart'));
  await listener.connect();
  await listener.query('LISTEN outbox');

  async function drainOnce(): Promise<number> {
    return db.transaction(async (tx) => {
      const { rows } = await tx.query<OutboxRow>(
        `SELECT position, event_id, topic, message_key, event_type, envelope, headers
           FROM outbox WHERE published_at IS NULL
          ORDER BY position LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) return 0;
      await publish(rows);
      await settings.afterPublishForTest?.(rows);
      await tx.query('UPDATE outbox SET published_at = now() WHERE position = ANY($1::bigint[])', [
        rows.map((row) => row.position),
      ]);
      return rows.length;
    });
  }

  async function publish(rows: OutboxRow[]) {
    const byTopic = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const topicRows = byTopic.get(row.topic);
      if (topicRows) topicRows.push(row);
      else byTopic.set(row.topic, [row]);
    }
    const first = rows[0]?.headers ?? {};
    await withStoredTrace(first, 'outbox publish', () =>
      producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, topicRows]) => ({
          topic: `${settings.topicPrefix ?? ''}${topic}`,
          messages: topicRows.map((row) => ({
            key: row.message_key,
            value: encodeEvent(row.envelope),
            headers: { ...kafkaHeadersFromTrace(row.headers), 'event-id': row.event_id, 'event-type': row.event_type },
          })),
        })),
      }),
    );
  }

  async function cleanUp() {
    if (Date.now() - lastCleanup < 60_000) return;
    lastCleanup = Date.now();
    await db.query(`DELETE FROM outbox WHERE published_at < now() - make_interval(secs => $1)`, [retentionMs / 1000]);
  }

  const idle = () =>
    new Promise<void>((resolve) => {
      if (notified || !running) return resolve();
      const timer = setTimeout(resolve, pollIntervalMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = (async () => {
    let failures = 0;
    while (running) {
      try {
        notified = false;
        const published = await drainOnce();
        failures = 0;
        if (published < batchSize) {
          await cleanUp();
          await idle();
        }
      } catch (error) {
        failures += 1;
        const delay = Math.min(30_000, 200 * 2 ** Math.min(failures, 8));
        logger.error({ err: error, retryInMs: delay }, 'outbox relay failed; the batch stays unpublished');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  })();

  return {
    drainOnce,
    async stop() {
      running = false;
      wake?.();
      await loop;
      await listener.end().catch(() => undefined);
    },
  };
}
