import type { Request } from 'express';
import type { Logger } from '@crm/platform';
import { createKafka } from '@crm/platform/kafka';
import type { ServiceClients } from '../clients';
import { startAccessInvalidationFeed, type AccessInvalidationFeed } from '../consumers/access-invalidation';
import { cachingAuthenticator, PrincipalCache } from './principal-cache';
import type { Principal } from './route';
import type { AccessSettings } from './router';
import { sessionAuthenticator } from './session-auth';

export interface PrincipalAccessSettings {
  clients: Pick<ServiceClients, 'identity'>;
  logger: Logger;
  /** GATEWAY_PRINCIPAL_CACHE_TTL_MS; 0 asks identity on every request (and starts no feed). */
  cacheTtlMs: number;
  cacheMaxEntries: number;
  kafka: { brokers: string[]; topicPrefix: string };
}

/** How the gateway finds out who is calling, and keeps that honest: authenticator, principal cache, invalidation feed. */
export interface PrincipalAccess extends Pick<AccessSettings, 'authenticate' | 'accessChanged'> {
  authenticate: (req: Request) => Promise<Principal>;
  /** The console pages' authenticator: the Authorization header, else the session cookie (never used for /v1). */
  authenticateConsole: (req: Request) => Promise<Principal>;
  cache: PrincipalCache;
  /** Absent when the cache is disabled. */
  feed?: AccessInvalidationFeed;
  close(): Promise<void>;
}

/**
 * Identity resolves each bearer token (sessionAuthenticator); the principal cache reuses the answer while its
 * invalidation feed is live; this instance's own access-changing requests evict the caller's account at once.
 */
export function createPrincipalAccess(settings: PrincipalAccessSettings): PrincipalAccess {
  const cache = new PrincipalCache({ ttlMs: settings.cacheTtlMs, maxEntries: settings.cacheMaxEntries });
  const feed = cache.enabled
    ? startAccessInvalidationFeed({
        kafka: createKafka({ brokers: settings.kafka.brokers, clientId: 'gateway', logger: settings.logger }),
        topicPrefix: settings.kafka.topicPrefix,
        cache,
        logger: settings.logger,
      })
    : undefined;
  return {
    authenticate: cachingAuthenticator(sessionAuthenticator(settings.clients), cache),
    authenticateConsole: cachingAuthenticator(sessionAuthenticator(settings.clients, { acceptCookie: true }), cache, {
      acceptCookie: true,
    }),
    accessChanged: (caller) => (caller ? cache.evictAccount(caller.accountId) : cache.evictAll()),
    cache,
    feed,
    close: async () => {
      await feed?.stop();
    },
  };
}
