import { createMemoryCache, type Cache } from '@berth/service-kit';
import { describe, expect, it } from 'vitest';
import { WindowCounters } from '../src/window-counters.ts';

describe('WindowCounters', () => {
  it('counts at once, and shares the counts of every task through the cache', async () => {
    const cache = createMemoryCache();
    const taskA = new WindowCounters(cache, 'rl:');
    const taskB = new WindowCounters(cache, 'rl:');
    const now = 1_000_000;
    expect(taskA.hit('read:203.0.113.7', 60_000, now)).toEqual({ count: 1, ttlMs: 60_000 });
    expect(taskA.hit('read:203.0.113.7', 60_000, now).count).toBe(2);
    expect(taskB.hit('read:203.0.113.7', 60_000, now).count).toBe(1);
    await taskA.sync(now);
    await taskB.sync(now);
    // B's exchange came second, so it has learnt A's two requests; A learns B's at its next one.
    expect(taskB.hit('read:203.0.113.7', 60_000, now).count).toBe(4);
    expect(taskA.hit('read:203.0.113.7', 60_000, now).count).toBe(3);
    await taskA.sync(now);
    expect(taskA.hit('read:203.0.113.7', 60_000, now).count).toBe(5);
    await taskA.sync(now);
    await taskB.sync(now);
    expect((await cache.increment('rl:read:203.0.113.7', 60_000, 0)).count).toBe(6);
    taskA.close();
    taskB.close();
  });

  it('starts a new window when the old one has ended, and forgets idle clients', async () => {
    const counters = new WindowCounters(createMemoryCache(), 'rl:');
    counters.hit('write:a', 1_000, 0);
    counters.hit('write:a', 1_000, 10);
    expect(counters.hit('write:a', 1_000, 1_000)).toEqual({ count: 1, ttlMs: 1_000 });
    await counters.sync(5_000);
    await counters.sync(10_000);
    expect(counters.size).toBe(0);
    counters.close();
  });

  it('keeps the counts local when the cache cannot be reached, and bounds the clients it tracks', async () => {
    const broken: Cache = { ...createMemoryCache(), increment: () => Promise.reject(new Error('down')) };
    const counters = new WindowCounters(broken, 'rl:', 100, 3);
    counters.hit('k', 60_000, 0);
    await counters.sync(0);
    expect(counters.hit('k', 60_000, 0).count).toBe(2);
    for (const key of ['x', 'y', 'z']) counters.hit(key, 60_000, 0);
    expect(counters.size).toBe(3);
    counters.close();
  });
});
