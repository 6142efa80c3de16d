import { describe, expect, it } from 'vitest';
import { CACHE_GENERATION_KEY, createGenerationReader } from '../src/cache-generation.ts';
import type { Cache } from '../src/cache.ts';
import { createMemoryCache } from '../src/memory-cache.ts';
import { ResponseCache } from '../src/response-cache.ts';
import { silentLogger } from '../src/testing/silent-logger.ts';

const limits = (maxEntries: number, maxBytes = 1024 * 1024) => ({ ttlMs: 60_000, maxEntries, maxBytes });

function withLostConnection(): { cache: Cache; loseConnection(): void } {
  const listeners: Array<() => void> = [];
  const cache: Cache = { ...createMemoryCache(), onConnectionLost: (listener) => listeners.push(listener) };
  return { cache, loseConnection: () => listeners.forEach((listener) => listener()) };
}

describe('ResponseCache', () => {
  it('refuses to store data fetched under a generation that has since changed', async () => {
    const cache = createMemoryCache();
    const responses = new ResponseCache(cache, silentLogger(), limits(100));
    const before = await responses.beginRead();
    if (before === undefined) throw new Error('the memory cache is always reachable');
    await cache.set(CACHE_GENERATION_KEY, 'after-a-write');
    const after = await responses.beginRead();
    if (after === undefined) throw new Error('the memory cache is always reachable');
    responses.store(before, '/products', Buffer.from('old'));
    expect(responses.lookup(after, '/products')).toBeUndefined();
    responses.store(after, '/products', Buffer.from('new'));
    expect(responses.lookup(after, '/products')?.toString()).toBe('new');
    expect(responses.lookup(before, '/products')).toBeUndefined();
  });

  it('forgets everything when the connection to the cache is lost', async () => {
    const { cache, loseConnection } = withLostConnection();
    const responses = new ResponseCache(cache, silentLogger(), limits(100));
    const generation = await responses.beginRead();
    if (generation === undefined) throw new Error('the memory cache is always reachable');
    responses.store(generation, '/inventory', Buffer.from('cached'));
    expect(responses.lookup(generation, '/inventory')?.toString()).toBe('cached');
    loseConnection();
    expect(responses.lookup(generation, '/inventory')).toBeUndefined();
    expect(responses.size).toBe(0);
  });

  it('starts a new generation when the key has vanished (a Redis that restarted empty)', async () => {
    const cache = createMemoryCache();
    const responses = new ResponseCache(cache, silentLogger(), limits(100));
    const first = await responses.beginRead();
    if (first === undefined) throw new Error('the memory cache is always reachable');
    responses.store(first, '/products', Buffer.from('cached before the restart'));
    await cache.delete(CACHE_GENERATION_KEY);
    const second = await responses.beginRead();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(responses.lookup(second ?? '', '/products')).toBeUndefined();
  });

  it('evicts the oldest entry beyond its capacity', async () => {
    const responses = new ResponseCache(createMemoryCache(), silentLogger(), limits(2));
    const generation = await responses.beginRead();
    if (generation === undefined) throw new Error('the memory cache is always reachable');
    responses.store(generation, 'a', Buffer.from('1'));
    responses.store(generation, 'b', Buffer.from('2'));
    responses.store(generation, 'c', Buffer.from('3'));
    expect(['a', 'b', 'c'].map((key) => responses.lookup(generation, key)?.toString())).toEqual([undefined, '2', '3']);
  });

  it('keeps the bytes it holds under its byte limit, evicting the oldest entries first', async () => {
    const responses = new ResponseCache(createMemoryCache(), silentLogger(), limits(1_000, 1_000));
    const generation = await responses.beginRead();
    if (generation === undefined) throw new Error('the memory cache is always reachable');
    for (let key = 0; key < 50; key += 1) {
      expect(responses.store(generation, `k${key}`, Buffer.alloc(200, key))).toBe(true);
      expect(responses.byteSize).toBeLessThanOrEqual(1_000);
    }
    expect(responses.size).toBe(5);
    expect(responses.byteSize).toBe(1_000);
    expect(responses.lookup(generation, 'k44')).toBeUndefined();
    expect(responses.lookup(generation, 'k45')?.[0]).toBe(45);
    // Replacing an entry does not count its old body twice.
    responses.store(generation, 'k49', Buffer.alloc(100));
    expect(responses.byteSize).toBe(900);
  });

  it('never keeps a body larger than a quarter of the byte limit, so one answer cannot flush the rest', async () => {
    const responses = new ResponseCache(createMemoryCache(), silentLogger(), limits(1_000, 1_000));
    const generation = await responses.beginRead();
    if (generation === undefined) throw new Error('the memory cache is always reachable');
    responses.store(generation, 'small', Buffer.alloc(100));
    expect(responses.store(generation, 'huge', Buffer.alloc(251))).toBe(false);
    expect(responses.lookup(generation, 'huge')).toBeUndefined();
    expect(responses.lookup(generation, 'small')).toBeDefined();
    expect(responses.byteSize).toBe(100);
  });
});

/** A cache whose generation reads are answered by the test, one at a time, in order. */
function controlledCache(): { cache: Cache; reads: Array<(value: string) => void> } {
  const reads: Array<(value: string) => void> = [];
  const cache: Cache = {
    ...createMemoryCache(),
    get: () => new Promise<string | null>((resolve) => reads.push(resolve)),
  };
  return { cache, reads };
}

describe('createGenerationReader', () => {
  it('lets requests that arrive together share one cache read', async () => {
    const { cache, reads } = controlledCache();
    const read = createGenerationReader(cache);
    const first = read();
    const waiting = [read(), read(), read()];
    expect(reads).toHaveLength(1);
    reads[0]?.('g1');
    expect(await first).toBe('g1');
    await new Promise((resolve) => setImmediate(resolve));
    // Everybody who arrived while the first read was in flight shares exactly one more.
    expect(reads).toHaveLength(2);
    reads[1]?.('g1');
    expect(await Promise.all(waiting)).toEqual(['g1', 'g1', 'g1']);
  });

  it('never hands a request the answer of a read sent before it arrived', async () => {
    const { cache, reads } = controlledCache();
    const read = createGenerationReader(cache);
    const early = read();
    // A write bumps the generation and returns; then this request arrives. The read already in
    // flight may have been answered before the bump, so the request must not share it.
    const late = read();
    reads[0]?.('before-the-write');
    expect(await early).toBe('before-the-write');
    await new Promise((resolve) => setImmediate(resolve));
    reads[1]?.('after-the-write');
    expect(await late).toBe('after-the-write');
  });

  it('rejects the requests sharing a failed read and reads afresh for the next ones', async () => {
    let calls = 0;
    const cache: Cache = {
      ...createMemoryCache(),
      get: async () => {
        calls += 1;
        if (calls === 1) throw new Error('cache unreachable');
        return 'g2';
      },
    };
    const read = createGenerationReader(cache);
    await expect(read()).rejects.toThrow('cache unreachable');
    expect(await read()).toBe('g2');
  });
});
