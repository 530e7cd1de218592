import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Principal } from './route';
import { attachPrincipal, credentialOf, type CredentialOptions } from './session-auth';

export interface PrincipalCacheSettings {
  /** How long a resolved principal may be reused; 0 disables the cache (every request asks identity). */
  ttlMs: number;
  /** The most principals kept; the oldest entry goes first. */
  maxEntries: number;
  /**
   * The invalidation feed fetches at least every 500 ms, even when idle; when it has not for this long, it may be
   * missing events, so nothing is reused until it is back (and what was cached before is dropped). Default 2 s.
   */
  feedStaleAfterMs?: number;
  now?: () => number;
}

interface Entry {
  principal: Principal;
  expiresAt: number;
}

/**
 * The gateway's memory of who a bearer token is (PRODUCT.md §3: "changes take effect on the caller's next request,
 * ≤ 1 s"). A principal is reused for at most `ttlMs` (and never past its session's expiry), and only while the
 * invalidation feed is live — it fetched from Kafka within `feedStaleAfterMs`: a feed that is down, stalled or
 * rebalancing switches the cache off and empties it, so a missed identity.permissions.changed.v1 can never keep a
 * stale principal. Evictions come from that feed (changes made through any gateway instance, or by identity itself)
 * and from this instance's own access-changing requests (at once, before their response).
 *
 * An eviction also invalidates loads still in flight (an "epoch"): a principal read before a change but returned
 * after it is handed to its request and never stored.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, { epoch: number; promise: Promise<Principal> }>();
  private epoch = 0;
  private feedFetchedAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  private readonly feedStaleAfterMs: number;
  readonly stats = { hits: 0, misses: 0, evictions: 0 };

  constructor(private readonly settings: PrincipalCacheSettings) {
    this.now = settings.now ?? (() => Date.now());
    this.feedStaleAfterMs = settings.feedStaleAfterMs ?? 5_000;
  }

  get enabled(): boolean {
    return this.settings.ttlMs > 0;
  }

  /** Whether the invalidation feed is known to receive every event now. */
  get isLive(): boolean {
    return this.now() - this.feedFetchedAt <= this.feedStaleAfterMs;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The invalidation feed completed a fetch: every event up to now has been (or is being) applied. */
  feedAlive(): void {
    if (!this.isLive) this.evictAll(); // back from an outage: start from nothing
    this.feedFetchedAt = this.now();
  }

  /** The invalidation feed stopped, crashed or is rebalancing: nothing is reused until it fetches again. */
  feedDown(): void {
    this.feedFetchedAt = Number.NEGATIVE_INFINITY;
    this.evictAll();
  }

  /** The principal for `key` (a digest of the bearer token): reused when fresh, else loaded once for concurrent callers. */
  resolve(key: string, load: () => Promise<Principal>): Promise<Principal> {
    if (!this.enabled) return load();
    if (!this.isLive) {
      if (this.entries.size > 0) this.evictAll();
      return load();
    }
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) {
      this.stats.hits += 1;
      return Promise.resolve(entry.principal);
    }
    if (entry) this.entries.delete(key);
    const pending = this.inflight.get(key);
    if (pending && pending.epoch === this.epoch) return pending.promise;
    this.stats.misses += 1;
    const epoch = this.epoch;
    const promise = load()
      .then((principal) => {
        if (this.epoch === epoch && this.isLive) this.store(key, principal);
        return principal;
      })
      .finally(() => {
        if (this.inflight.get(key)?.promise === promise) this.inflight.delete(key);
      });
    this.inflight.set(key, { epoch, promise });
    return promise;
  }

  /** Every session of one user (their permissions or status changed). */
  evictUser(accountId: string, userId: string): void {
    this.evictWhere((principal) => principal.accountId === accountId && principal.userId === userId);
  }

  /** Every principal of one account (its status changed, or this instance changed access in it). */
  evictAccount(accountId: string): void {
    this.evictWhere((principal) => principal.accountId === accountId);
  }

  evictAll(): void {
    this.epoch += 1;
    this.stats.evictions += this.entries.size;
    this.entries.clear();
    this.inflight.clear();
  }

  private evictWhere(matches: (principal: Principal) => boolean): void {
    // Evictions are rare (a permission or status change): a scan of at most maxEntries is cheaper than indexes.
    this.epoch += 1;
    for (const [key, entry] of this.entries) {
      if (matches(entry.principal)) {
        this.entries.delete(key);
        this.stats.evictions += 1;
      }
    }
    this.inflight.clear();
  }

  private store(key: string, principal: Principal): void {
    const now = this.now();
    const expiresAt = Math.min(now + this.settings.ttlMs, principal.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
    if (expiresAt <= now) return;
    this.entries.delete(key);
    this.entries.set(key, { principal, expiresAt });
    while (this.entries.size > this.settings.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/** The cache key of a bearer token: its SHA-256, so no token is kept in memory longer than its request. */
export const tokenKey = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Puts the cache in front of an authenticator (the one that asks identity): a request whose token is cached is
 * answered from memory; the others go through `authenticate`, concurrent ones for the same token sharing one call.
 */
export function cachingAuthenticator(
  authenticate: (req: Request) => Promise<Principal>,
  cache: PrincipalCache,
  options: CredentialOptions = {},
): (req: Request) => Promise<Principal> {
  return async (req) => {
    // The same credential the authenticator reads (a cookie only where it is accepted), so a key never stands for
    // a token the authenticator would not have used.
    const token = credentialOf(req, options);
    if (!token) return authenticate(req);
    const principal = await cache.resolve(tokenKey(token), () => authenticate(req));
    attachPrincipal(req, principal);
    return principal;
  };
}
