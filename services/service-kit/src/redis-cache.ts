import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Cache } from './cache.ts';
import type { CacheSettings } from './cache-settings.ts';

/**
 * Redis with short timeouts and no offline queue: while Redis is down every command fails at
 * once (callers bypass the cache) instead of queueing and making requests wait; the client keeps
 * reconnecting in the background. Concurrent commands share round trips (auto-pipelining).
 */
export function createRedisCache(settings: Extract<CacheSettings, { kind: 'redis' }>, logger: Logger): Cache {
  const client = new Redis(settings.url, {
    keyPrefix: settings.keyPrefix,
    connectTimeout: settings.connectTimeoutMs,
    commandTimeout: settings.commandTimeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  let healthy: boolean | undefined;
  const connectionLostListeners: Array<() => void> = [];
  client.on('close', () => {
    for (const listener of connectionLostListeners) listener();
  });
  client.on('ready', () => {
    if (healthy !== true) logger.info('cache connected');
    healthy = true;
  });
  client.on('error', (error: Error) => {
    // One line per outage, not one per reconnect attempt.
    if (healthy !== false) logger.warn({ err: error }, 'cache unreachable; reads bypass it until it returns');
    healthy = false;
  });

  return {
    kind: 'redis',
    async get(key) {
      return client.get(key);
    },
    async set(key, value, ttlSeconds) {
      if (ttlSeconds === undefined) await client.set(key, value);
      else await client.set(key, value, 'EX', ttlSeconds);
    },
    async setIfAbsent(key, value) {
      const [, current] = await Promise.all([client.set(key, value, 'NX'), client.get(key)]);
      return current ?? value;
    },
    async delete(key) {
      await client.del(key);
    },
    async ping() {
      await client.ping();
    },
    onConnectionLost(listener) {
      connectionLostListeners.push(listener);
    },
    async close() {
      try {
        await client.quit();
      } catch {
        // Redis is already gone: drop the socket and stop reconnecting.
        client.disconnect(false);
      }
    },
  };
}
