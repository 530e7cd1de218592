import { createHash } from 'node:crypto';
import { RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Pool } from 'pg';

export interface LoginThrottleSettings {
  maxFailuresPerUser: number;
  userWindowMs: number;
  maxFailuresPerIp: number;
  ipWindowMs: number;
}

export interface LoginThrottle {
  /** Seconds to wait when either counter is exhausted; undefined when the attempt may go on (and be hashed). */
  retryAfter(accountId: string, email: string, ip: string): Promise<number | undefined>;
  recordFailure(accountId: string, email: string, ip: string): Promise<void>;
  /** A successful login clears the account+email counter (the IP counter keeps running). */
  recordSuccess(accountId: string, email: string): Promise<void>;
}

/**
 * Failed-login counters in PostgreSQL (rate-limiter-flexible's Postgres store, table `login_throttle`), so every
 * identity instance sees the same counts and a restart forgets nothing. Keyed by account + email digest (no
 * address in the table) and by client IP. Unknown emails count like known ones: the answer never tells them apart.
 */
export function createLoginThrottle(pool: Pool, settings: LoginThrottleSettings): LoginThrottle {
  const common = {
    storeClient: pool,
    storeType: 'pool',
    tableName: 'login_throttle',
    tableCreated: true,
    clearExpiredByTimeout: false,
  };
  const perUser = new RateLimiterPostgres({
    ...common,
    keyPrefix: 'user',
    points: settings.maxFailuresPerUser,
    duration: settings.userWindowMs / 1000,
  });
  const perIp = new RateLimiterPostgres({
    ...common,
    keyPrefix: 'ip',
    points: settings.maxFailuresPerIp,
    duration: settings.ipWindowMs / 1000,
  });
  const userKey = (accountId: string, email: string) =>
    `${accountId}:${createHash('sha256').update(email.trim().toLowerCase()).digest('base64url')}`;
  const ipKey = (ip: string) => ip || 'unknown';

  const waitSeconds = async (limiter: RateLimiterAbstract, key: string, max: number) => {
    const state = await limiter.get(key);
    return state && state.consumedPoints >= max ? Math.max(1, Math.ceil(state.msBeforeNext / 1000)) : 0;
  };

  return {
    async retryAfter(accountId, email, ip) {
      const [user, address] = await Promise.all([
        waitSeconds(perUser, userKey(accountId, email), settings.maxFailuresPerUser),
        waitSeconds(perIp, ipKey(ip), settings.maxFailuresPerIp),
      ]);
      const wait = Math.max(user, address);
      return wait > 0 ? wait : undefined;
    },
    async recordFailure(accountId, email, ip) {
      // `penalty` adds points without throwing when the limit is passed (consume would reject).
      await Promise.all([perUser.penalty(userKey(accountId, email), 1), perIp.penalty(ipKey(ip), 1)]);
    },
    async recordSuccess(accountId, email) {
      await perUser.delete(userKey(accountId, email));
    },
  };
}
