import { createMemoryCache, CACHE_GENERATION_KEY, type Cache } from '@berth/service-kit';
import { silentLogger } from '@berth/service-kit/testing/silent-logger';
import { describe, expect, it } from 'vitest';
import { ResponseCache } from '../src/response-cache.ts';

function withLostConnection(): { cache: Cache; loseConnection(): void } {
  const listeners: Array<() => void> = [];
  const cache: Cache = { ...createMemoryCache(), onConnectionLost: (listener) => listeners.push(listener) };
  return { cache, loseConnection: () => listeners.forEach((listener) => listener()) };
}

describe('ResponseCache', () => {
  it('refuses to store data fetched under a generation that has since changed', async () => {
    const cache = createMemoryCache();
    const responses = new ResponseCache(cache, silentLogger(), 60_000, 100);
    const before = await responses.beginRead();
    if (before === undefined) throw new Error('the memory cache is always reachable');
    await cache.set(CACHE_GENERATION_KEY, 'after-a-write');
    const after = await responses.beginRead();
    if (after === undefined) throw new Error('the memory cache is always reachable');
    responses.store(before, '/products', 'old');
    expect(responses.lookup(after, '/products')).toBeUndefined();
    responses.store(after, '/products', 'new');
    expect(responses.lookup(after, '/products')).toBe('new');
    expect(responses.lookup(before, '/products')).toBeUndefined();
  });

  it('forgets everything when the connection to the cache is lost', async () => {
    const { cache, loseConnection } = withLostConnection();
    const responses = new ResponseCache(cache, silentLogger(), 60_000, 100);
    const generation = await responses.beginRead();
    if (generation === undefined) throw new Error('the memory cache is always reachable');
    responses.store(generation, '/inventory', 'cached');
    expect(responses.lookup(generation, '/inventory')).toBe('cached');
    loseConnection();
    expect(responses.lookup(generation, '/inventory')).toBeUndefined();
    expect(responses.size).toBe(0);
  });

  it('starts a new generation when the key has vanished (a Redis that restarted empty)', async () => {
    const cache = createMemoryCache();
    const responses = new ResponseCache(cache, silentLogger(), 60_000, 100);
    const first = await responses.beginRead();
    if (first === undefined) throw new Error('the memory cache is always reachable');
    responses.store(first, '/products', 'cached before the restart');
    await cache.delete(CACHE_GENERATION_KEY);
    const second = await responses.beginRead();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(responses.lookup(second ?? '', '/products')).toBeUndefined();
  });

  it('evicts the oldest entry beyond its capacity', async () => {
    const responses = new ResponseCache(createMemoryCache(), silentLogger(), 60_000, 2);
    const generation = await responses.beginRead();
    if (generation === undefined) throw new Error('the memory cache is always reachable');
    responses.store(generation, 'a', '1');
    responses.store(generation, 'b', '2');
    responses.store(generation, 'c', '3');
    expect([
      responses.lookup(generation, 'a'),
      responses.lookup(generation, 'b'),
      responses.lookup(generation, 'c'),
    ]).toEqual([undefined, '2', '3']);
  });
});
