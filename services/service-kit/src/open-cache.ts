import type { Logger } from 'pino';
import type { Cache } from './cache.ts';
import type { CacheSettings } from './cache-settings.ts';
import { createMemoryCache } from './memory-cache.ts';
import { createRedisCache } from './redis-cache.ts';

export function openCache(settings: CacheSettings, logger: Logger): Cache {
  return settings.kind === 'redis' ? createRedisCache(settings, logger) : createMemoryCache();
}
