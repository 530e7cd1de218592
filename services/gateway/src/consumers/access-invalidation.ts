import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Consumer, Kafka } from 'kafkajs';
import { accountEvents, decodeEvent, identityEvents, type AnyEventEnvelope } from '@crm/contracts';
import type { Logger } from '@crm/platform';
import type { PrincipalCache } from '../http/principal-cache';

/** What an event means for the principals the gateway caches. */
export type Eviction = { scope: 'user'; accountId: string; userId: string } | { scope: 'account'; accountId: string };

/** The events that change what a cached principal may do, and the topics they travel on. */
export const invalidatingEvents = [
  identityEvents.permissionsChanged,
  identityEvents.userUpdated,
  identityEvents.userDeactivated,
  identityEvents.userRemoved,
  accountEvents.statusChanged,
] as const;

export const invalidationTopics = [...new Set(invalidatingEvents.map((event) => event.topic))];

/**
 * The eviction an event calls for: a user's permissions or status changed → that user's sessions; the account's
 * status changed → every principal of the account. Other events on these topics change nothing cached.
 */
export function evictionFor(event: AnyEventEnvelope): Eviction | undefined {
  switch (event.type) {
    case 'identity.permissions.changed.v1':
      return { scope: 'user', accountId: event.accountId, userId: event.payload.userId ?? '' };
    case 'identity.user.updated.v1':
    case 'identity.user.deactivated.v1':
    case 'identity.user.removed.v1':
      return { scope: 'user', accountId: event.accountId, userId: event.payload.user?.userId ?? '' };
    case 'account.account.status_changed.v1':
      return { scope: 'account', accountId: event.accountId };
    default:
      return undefined;
  }
}

export function applyEviction(cache: PrincipalCache, eviction: Eviction): void {
  if (eviction.scope === 'user' && eviction.userId) cache.evictUser(eviction.accountId, eviction.userId);
  else cache.evictAccount(eviction.accountId);
}

export interface AccessInvalidationFeed {
  /** Resolves once the feed is live (joined and fetching), or rejects after `timeoutMs`. */
  waitUntilLive(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface AccessInvalidationSettings {
  kafka: Kafka;
  cache: PrincipalCache;
  logger: Logger;
  /** KAFKA_TOPIC_PREFIX: the same prefix the services publish with (it prefixes the group id too). */
  topicPrefix?: string;
}

/**
 * Keeps the principal cache honest: a plain kafkajs consumer (the gateway has no database, hence no inbox — and
 * needs none, evicting twice is harmless) in a consumer group of its own, unique to this process, reading from the
 * latest offset. Every instance thus sees every event. It commits no offsets, so its group leaves nothing behind
 * once it stops; stop() also deletes it. Each fetch (at least every 500 ms, even when idle) tells the cache the feed
 * is live; a crash, a rebalance or a stop tells it otherwise, and kafkajs restarts a crashed consumer on its own.
 * Starting never fails the gateway: without Kafka it answers every request by asking identity.
 */
export function startAccessInvalidationFeed(settings: AccessInvalidationSettings): AccessInvalidationFeed {
  const { kafka, cache, logger } = settings;
  const prefix = settings.topicPrefix ?? '';
  const groupId = `${prefix}gateway.access-invalidation.${hostname()}.${process.pid}.${randomUUID().slice(0, 8)}`;
  const log = logger.child({ component: 'access-invalidation', groupId });
  let stopped = false;
  let joined = false;
  let consumer: Consumer | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  const liveWaiters = new Set<() => void>();

  const handle = (value: Buffer | null, key: Buffer | null) => {
    let event: AnyEventEnvelope;
    try {
      if (!value) throw new Error('empty message');
      event = decodeEvent(value);
    } catch (error) {
      // A newer event version, or garbage: the message key is the account id, so drop that account to be safe.
      const accountId = key?.toString('utf8');
      log.warn({ err: error, accountId }, 'undecodable event on an access topic; evicting its account');
      if (accountId) cache.evictAccount(accountId);
      else cache.evictAll();
      return;
    }
    const eviction = evictionFor(event);
    if (eviction) {
      applyEviction(cache, eviction);
      log.debug({ type: event.type, eventId: event.id, ...eviction }, 'principals evicted');
    }
  };

  const run = async () => {
    const next = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 500,
      sessionTimeout: 10_000,
    });
    consumer = next;
    next.on(next.events.GROUP_JOIN, () => {
      joined = true;
    });
    next.on(next.events.FETCH, () => {
      cache.feedAlive();
      for (const resolve of liveWaiters) resolve();
      liveWaiters.clear();
    });
    for (const down of [next.events.REBALANCING, next.events.STOP, next.events.DISCONNECT] as const)
      next.on(down, () => cache.feedDown());
    next.on(next.events.CRASH, ({ payload }) => {
      cache.feedDown();
      log.warn({ err: payload.error, restart: payload.restart }, 'access invalidation feed crashed');
      if (!payload.restart && !stopped) scheduleRetry();
    });
    await next.connect();
    await next.subscribe({ topics: invalidationTopics.map((topic) => `${prefix}${topic}`), fromBeginning: false });
    await next.run({ autoCommit: false, eachMessage: async ({ message }) => handle(message.value, message.key) });
    log.info({ topics: invalidationTopics }, 'access invalidation feed started');
  };

  const scheduleRetry = (delayMs = 5_000) => {
    retryTimer = setTimeout(() => {
      void consumer?.disconnect().catch(() => undefined);
      start();
    }, delayMs);
    retryTimer.unref();
  };

  const start = () => {
    if (stopped) return;
    run().catch((error: unknown) => {
      cache.feedDown();
      log.warn({ err: error }, 'access invalidation feed could not start; every request asks identity meanwhile');
      if (!stopped) scheduleRetry();
    });
  };
  start();

  return {
    waitUntilLive(timeoutMs) {
      if (cache.isLive) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          liveWaiters.delete(done);
          reject(new Error(`the access invalidation feed was not live within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        liveWaiters.add(done);
      });
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      await consumer?.disconnect().catch(() => undefined);
      cache.feedDown();
      if (!joined) return;
      // Best effort, and bounded: a group without members or offsets is removed by the broker anyway.
      const admin = kafka.admin();
      const removal = admin
        .connect()
        .then(() => admin.deleteGroups([groupId]))
        .catch(() => undefined)
        .finally(() => admin.disconnect().catch(() => undefined));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([removal, new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))]);
      clearTimeout(timer);
    },
  };
}
