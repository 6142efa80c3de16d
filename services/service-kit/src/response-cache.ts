import type { Logger } from 'pino';
import type { Cache } from './cache.ts';
import { createGenerationReader } from './cache-generation.ts';
import type { EnvReader } from './config.ts';
import type { CacheSettings } from './cache-settings.ts';
import { errorMessage } from './errors.ts';

interface Entry {
  /** The response body, serialised and encoded once when stored, sent as is on every hit. */
  body: Buffer;
  expiresAt: number;
}

export interface ResponseCacheLimits {
  ttlMs: number;
  maxEntries: number;
  /** Bytes of bodies kept at most; a body larger than a quarter of it is never kept. */
  maxBytes: number;
}

/**
 * GET responses kept in this process (the gateway's combined views and proxied reads, and each
 * service's own reads), valid only under the cache generation they were fetched in (see
 * cache-generation.ts). A hit costs a share of one Redis GET (all requests arriving while one
 * generation read is in flight share the next one) and a Map lookup. Every entry in the map was
 * stored by a read that observed the current generation before fetching, and the map is emptied
 * whenever a different generation is seen, so nothing fetched before a write is served after that
 * write's generation bump. Bounded by entries and by bytes: the oldest entries go first.
 */
export class ResponseCache {
  private generation: string | undefined;
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private cacheWasDown = false;
  private readonly readGeneration: () => Promise<string>;
  private readonly maxEntryBytes: number;

  constructor(
    cache: Cache,
    private readonly logger: Logger,
    private readonly limits: ResponseCacheLimits,
  ) {
    this.readGeneration = createGenerationReader(cache);
    this.maxEntryBytes = Math.floor(limits.maxBytes / 4);
    // Redis went away: a write made before it returns could not bump the generation, so
    // nothing cached so far can be trusted any more.
    cache.onConnectionLost(() => this.forget());
  }

  private forget(): void {
    this.generation = undefined;
    this.entries.clear();
    this.bytes = 0;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.body.length;
  }

  /**
   * The generation this read runs under, or undefined when the shared cache is unreachable: then
   * the read bypasses the cache (and the map is dropped, since writes made meanwhile could not
   * announce themselves).
   */
  async beginRead(): Promise<string | undefined> {
    let generation: string;
    try {
      generation = await this.readGeneration();
    } catch (error) {
      this.forget();
      if (!this.cacheWasDown)
        this.logger.warn({ err: errorMessage(error) }, 'cache unreachable; serving reads uncached');
      this.cacheWasDown = true;
      return undefined;
    }
    if (this.cacheWasDown) {
      this.cacheWasDown = false;
      this.logger.info('cache reachable again; response caching resumed');
    }
    if (generation !== this.generation) {
      this.forget();
      this.generation = generation;
    }
    return generation;
  }

  lookup(generation: string, key: string): Buffer | undefined {
    if (generation !== this.generation) return undefined;
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.remove(key, entry);
      return undefined;
    }
    return entry.body;
  }

  /** Keeps `body` under `key`; false when it was not kept (older generation, or too large). */
  store(generation: string, key: string, body: Buffer): boolean {
    // A read that started under an older generation may have fetched data older than a write.
    if (generation !== this.generation || body.length > this.maxEntryBytes) return false;
    const previous = this.entries.get(key);
    if (previous !== undefined) this.remove(key, previous);
    for (const [oldestKey, oldest] of this.entries) {
      if (this.entries.size < this.limits.maxEntries && this.bytes + body.length <= this.limits.maxBytes) break;
      this.remove(oldestKey, oldest);
    }
    this.entries.set(key, { body, expiresAt: Date.now() + this.limits.ttlMs });
    this.bytes += body.length;
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes of response bodies held. */
  get byteSize(): number {
    return this.bytes;
  }
}

export interface ResponseCacheSettings {
  /**
   * Whether GET responses are cached in this process. Only safe when the cache is shared with
   * every service that writes (Redis, or the in-memory cache of an all-in-one process), because
   * the writers' generation bumps are what invalidate it.
   */
  responseCacheEnabled: boolean;
  responseCacheTtlSeconds: number;
  responseCacheMaxEntries: number;
  responseCacheMaxBytes: number;
}

export function readResponseCacheSettings(reader: EnvReader, cache: CacheSettings): ResponseCacheSettings {
  return {
    responseCacheEnabled: cache.kind === 'redis',
    responseCacheTtlSeconds: reader.integer('RESPONSE_CACHE_TTL_SECONDS', { default: 300, min: 1, max: 86_400 }),
    responseCacheMaxEntries: reader.integer('RESPONSE_CACHE_MAX_ENTRIES', { default: 10_000, min: 1, max: 1_000_000 }),
    responseCacheMaxBytes: reader.integer('RESPONSE_CACHE_MAX_MB', { default: 32, min: 1, max: 4_096 }) * 1024 * 1024,
  };
}

export function createResponseCache(
  settings: ResponseCacheSettings,
  cache: Cache,
  logger: Logger,
): ResponseCache | undefined {
  if (!settings.responseCacheEnabled) return undefined;
  return new ResponseCache(cache, logger, {
    ttlMs: settings.responseCacheTtlSeconds * 1000,
    maxEntries: settings.responseCacheMaxEntries,
    maxBytes: settings.responseCacheMaxBytes,
  });
}
