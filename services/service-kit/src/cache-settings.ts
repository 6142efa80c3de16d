import type { EnvReader } from './config.ts';

export type CacheSettings =
  | { kind: 'redis'; url: string; keyPrefix: string; connectTimeoutMs: number; commandTimeoutMs: number }
  | { kind: 'memory'; keyPrefix: string };

export function readCacheSettings(reader: EnvReader): CacheSettings {
  const url = reader.url('REDIS_URL', ['redis', 'rediss']);
  const rawUrl = reader.optional('REDIS_URL');
  const keyPrefix = reader.string('REDIS_KEY_PREFIX', 'berth:');
  const connectTimeoutMs = reader.integer('REDIS_CONNECT_TIMEOUT_MS', { default: 3_000, min: 50, max: 60_000 });
  const commandTimeoutMs = reader.integer('REDIS_COMMAND_TIMEOUT_MS', { default: 500, min: 10, max: 60_000 });
  if (rawUrl === undefined) return { kind: 'memory', keyPrefix };
  return { kind: 'redis', url: url?.toString() ?? rawUrl, keyPrefix, connectTimeoutMs, commandTimeoutMs };
}

export function describeCache(settings: CacheSettings): string {
  if (settings.kind === 'memory') return 'in-memory cache (this process only)';
  const url = new URL(settings.url);
  return `Redis ${url.hostname}:${url.port || '6379'} (prefix "${settings.keyPrefix}")`;
}
