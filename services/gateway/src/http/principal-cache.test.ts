import type { Permission } from '@crm/contracts';
import type { Request } from 'express';
import { cachingAuthenticator, PrincipalCache } from './principal-cache';
import type { Principal } from './route';
import { credentialOf } from './session-auth';

class Clock {
  ms = 1_000_000;
  now = () => this.ms;
  advance(ms: number) {
    this.ms += ms;
  }
}

const aPrincipal = (overrides: Partial<Principal> = {}): Principal => ({
  kind: 'user',
  accountId: 'account-a',
  userId: 'user-1',
  sessionId: 'session-1',
  permissions: new Set<Permission>(['contacts.view']),
  accountStatus: 'active',
  ...overrides,
});

/** A loader that counts its calls and answers what it is told to. */
function identity(answer: () => Principal = () => aPrincipal()) {
  const loader = { calls: 0, load: async () => (loader.calls++, answer()) };
  return loader;
}

function liveCache(clock: Clock, overrides: Partial<ConstructorParameters<typeof PrincipalCache>[0]> = {}) {
  const cache = new PrincipalCache({ ttlMs: 1_000, maxEntries: 100, now: clock.now, ...overrides });
  cache.feedAlive();
  return cache;
}

describe('PrincipalCache', () => {
  it('reuses a principal within its time to live, then asks identity again', async () => {
    const clock = new Clock();
    const cache = liveCache(clock);
    const loader = identity();

    await cache.resolve('token-a', loader.load);
    clock.advance(999);
    cache.feedAlive();
    await cache.resolve('token-a', loader.load);
    clock.advance(1);
    cache.feedAlive();
    await cache.resolve('token-a', loader.load);

    expect(loader.calls).toBe(2);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 2 });
  });

  it('never keeps a principal past the expiry of its session', async () => {
    const clock = new Clock();
    const cache = liveCache(clock);
    const loader = identity(() => aPrincipal({ expiresAt: new Date(clock.ms + 300) }));

    await cache.resolve('token-a', loader.load);
    clock.advance(300);
    cache.feedAlive();
    await cache.resolve('token-a', loader.load);

    expect(loader.calls).toBe(2);
  });

  it('asks identity every time when its time to live is 0', async () => {
    const cache = liveCache(new Clock(), { ttlMs: 0 });
    const loader = identity();

    await cache.resolve('token-a', loader.load);
    await cache.resolve('token-a', loader.load);

    expect(loader.calls).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('reuses nothing before the invalidation feed is live, nor once it has not fetched for 5 s, and starts afresh after', async () => {
    const clock = new Clock();
    const cache = new PrincipalCache({ ttlMs: 10_000, maxEntries: 100, now: clock.now });
    const loader = identity();

    await cache.resolve('token-a', loader.load);
    await cache.resolve('token-a', loader.load);
    cache.feedAlive();
    await cache.resolve('token-a', loader.load);
    await cache.resolve('token-a', loader.load);
    clock.advance(5_001);
    await cache.resolve('token-a', loader.load);
    const sizeWhileStale = cache.size;
    cache.feedAlive();
    await cache.resolve('token-a', loader.load);

    expect(loader.calls).toBe(5);
    expect(sizeWhileStale).toBe(0);
  });

  it('forgets everything when the feed goes down (crash, rebalance, stop)', async () => {
    const clock = new Clock();
    const cache = liveCache(clock);
    const loader = identity();
    await cache.resolve('token-a', loader.load);

    cache.feedDown();
    await cache.resolve('token-a', loader.load);

    expect(loader.calls).toBe(2);
    expect(cache.isLive).toBe(false);
  });

  it('evicts every session of one user, and leaves other users alone', async () => {
    const clock = new Clock();
    const cache = liveCache(clock);
    const first = identity(() => aPrincipal({ sessionId: 'phone' }));
    const second = identity(() => aPrincipal({ sessionId: 'laptop' }));
    const colleague = identity(() => aPrincipal({ userId: 'user-2' }));
    const otherAccount = identity(() => aPrincipal({ accountId: 'account-b' }));
    for (const [key, loader] of [
      ['a', first],
      ['b', second],
      ['c', colleague],
      ['d', otherAccount],
    ] as const)
      await cache.resolve(key, loader.load);

    cache.evictUser('account-a', 'user-1');
    for (const [key, loader] of [
      ['a', first],
      ['b', second],
      ['c', colleague],
      ['d', otherAccount],
    ] as const)
      await cache.resolve(key, loader.load);

    expect([first.calls, second.calls, colleague.calls, otherAccount.calls]).toEqual([2, 2, 1, 1]);
  });

  it('evicts every principal of an account', async () => {
    const cache = liveCache(new Clock());
    const mine = identity();
    const theirs = identity(() => aPrincipal({ accountId: 'account-b' }));
    await cache.resolve('a', mine.load);
    await cache.resolve('b', theirs.load);

    cache.evictAccount('account-a');
    await cache.resolve('a', mine.load);
    await cache.resolve('b', theirs.load);

    expect([mine.calls, theirs.calls]).toEqual([2, 1]);
  });

  it('shares one call to identity between concurrent requests with the same token', async () => {
    const cache = liveCache(new Clock());
    const loader = identity();

    const answers = await Promise.all([1, 2, 3].map(() => cache.resolve('token-a', loader.load)));

    expect(loader.calls).toBe(1);
    expect(new Set(answers).size).toBe(1);
  });

  it('does not store a principal read before an eviction that happened while it was being read', async () => {
    const cache = liveCache(new Clock());
    let release: (principal: Principal) => void = () => undefined;
    const stale = cache.resolve('token-a', () => new Promise<Principal>((resolve) => (release = resolve)));

    cache.evictUser('account-a', 'user-1'); // the permission change lands while identity is answering
    const fresh = identity(() => aPrincipal({ permissions: new Set() }));
    const afterChange = cache.resolve('token-a', fresh.load); // must not join the stale call
    release(aPrincipal());
    await stale;
    const next = await cache.resolve('token-a', fresh.load);

    expect((await afterChange).permissions.size).toBe(0);
    expect(next.permissions.size).toBe(0);
    expect(fresh.calls).toBe(1);
  });

  it('does not cache a failed authentication', async () => {
    const cache = liveCache(new Clock());
    let calls = 0;
    const refuse = () => {
      calls += 1;
      return Promise.reject(new Error('unauthenticated'));
    };

    await expect(cache.resolve('bad', refuse)).rejects.toThrow('unauthenticated');
    await expect(cache.resolve('bad', refuse)).rejects.toThrow('unauthenticated');

    expect(calls).toBe(2);
  });

  it('keeps at most maxEntries principals, dropping the oldest', async () => {
    const cache = liveCache(new Clock(), { maxEntries: 2 });
    const loaders = ['a', 'b', 'c'].map(() => identity());
    for (const [i, key] of ['a', 'b', 'c'].entries()) await cache.resolve(key, loaders[i]!.load);

    await cache.resolve('c', loaders[2]!.load);
    await cache.resolve('a', loaders[0]!.load);

    expect(cache.size).toBe(2);
    expect(loaders.map((loader) => loader.calls)).toEqual([2, 1, 1]);
  });

  it('keys a console request by its cookie, but never hands a cookie-only request a principal on the API', async () => {
    const cache = liveCache(new Clock());
    const asked: (string | undefined)[] = [];
    const authenticatorFor = (acceptCookie: boolean) =>
      cachingAuthenticator(
        async (req) => {
          const token = credentialOf(req, { acceptCookie });
          asked.push(token);
          if (token !== 'ses_good') throw new Error('unauthenticated');
          return aPrincipal();
        },
        cache,
        { acceptCookie },
      );
    const request = (headers: Record<string, string>) =>
      ({ get: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;
    const cookieOnly = request({ cookie: 'theme=dark; crm_session=ses_good' });

    await authenticatorFor(true)(cookieOnly);
    await authenticatorFor(true)(cookieOnly);
    const api = await authenticatorFor(false)(cookieOnly).catch((error: Error) => error.message);
    const header = await authenticatorFor(true)(
      request({ authorization: 'Bearer ses_other', cookie: 'crm_session=ses_good' }),
    ).catch((error: Error) => error.message);

    expect(api).toBe('unauthenticated');
    expect(header).toBe('unauthenticated'); // the Authorization header wins over the cookie
    expect(asked).toEqual(['ses_good', undefined, 'ses_other']);
  });
});
