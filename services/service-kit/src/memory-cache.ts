import type { Cache } from './cache.ts';

interface Entry {
  value: string;
  expiresAt: number;
}

/** The Cache interface over a Map, for running without Redis. Expired entries are dropped when read. */
export function createMemoryCache(): Cache {
  const entries = new Map<string, Entry>();
  let closed = false;

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  return {
    kind: 'memory',
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, {
        value,
        expiresAt: ttlSeconds === undefined ? Number.POSITIVE_INFINITY : Date.now() + ttlSeconds * 1000,
      });
    },
    async setIfAbsent(key, value) {
      const existing = live(key);
      if (existing !== undefined) return existing.value;
      entries.set(key, { value, expiresAt: Number.POSITIVE_INFINITY });
      return value;
    },
    async delete(key) {
      entries.delete(key);
    },
    async increment(key, windowMs, by = 1) {
      const now = Date.now();
      const existing = live(key);
      const count = (existing === undefined ? 0 : Number(existing.value)) + by;
      const expiresAt = existing?.expiresAt ?? now + windowMs;
      entries.set(key, { value: String(count), expiresAt });
      return { count, ttlMs: expiresAt - now };
    },
    async ping() {
      if (closed) throw new Error('in-memory cache is closed');
    },
    onConnectionLost() {
      // An in-process map has no connection to lose.
    },
    async close() {
      closed = true;
      entries.clear();
    },
  };
}
