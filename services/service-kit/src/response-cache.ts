import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Cache } from './cache.ts';
import { createGenerationReader } from './cache-generation.ts';
import type { EnvReader } from './config.ts';
import type { CacheSettings } from './cache-settings.ts';

interface Entry {
  /** The response body, serialised and encoded once when stored, sent as is on every hit. */
  body: Buffer;
  expiresAt: number;
}

/**
 * GET responses kept in this process (the gateway's combined views and proxied reads, and each
 * service's own reads), valid only under the cache generation they were fetched
 * in (see cache-generation.ts in the service kit). A hit costs a share of one Redis GET (all
 * requests arriving while one generation read is in flight share the next one) and a Map lookup. Every entry in the map was stored by a read that observed the current
 * generation before fetching, and the map is emptied whenever a different generation is seen, so
 * nothing fetched before a write is served after that write's generation bump.
 */
export class ResponseCache {
  private generation: string | undefined;
  private readonly entries = new Map<string, Entry>();
  private cacheWasDown = false;
  private readonly readGeneration: () => Promise<string>;

  constructor(
    cache: Cache,
    private readonly logger: Logger,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {
    this.readGeneration = createGenerationReader(cache);
    // Redis went away: a write made before it returns could not bump the generation, so
    // nothing cached so far can be trusted any more.
    cache.onConnectionLost(() => this.forget());
  }

  private forget(): void {
    this.generation = undefined;
    this.entries.clear();
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
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'cache unreachable; serving reads uncached',
        );
      this.cacheWasDown = true;
      return undefined;
    }
    if (this.cacheWasDown) {
      this.cacheWasDown = false;
      this.logger.info('cache reachable again; response caching resumed');
    }
    if (generation !== this.generation) {
      this.generation = generation;
      this.entries.clear();
    }
    return generation;
  }

  lookup(generation: string, key: string): Buffer | undefined {
    if (generation !== this.generation) return undefined;
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.body;
  }

  store(generation: string, key: string, body: string | Buffer): void {
    // A read that started under an older generation may have fetched data older than a write.
    if (generation !== this.generation) return;
    if (!this.entries.has(key) && this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    const encoded = typeof body === 'string' ? Buffer.from(body) : body;
    this.entries.set(key, { body: encoded, expiresAt: Date.now() + this.ttlMs });
  }

  get size(): number {
    return this.entries.size;
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
}

export function readResponseCacheSettings(reader: EnvReader, cache: CacheSettings): ResponseCacheSettings {
  return {
    responseCacheEnabled: cache.kind === 'redis',
    responseCacheTtlSeconds: reader.integer('RESPONSE_CACHE_TTL_SECONDS', { default: 300, min: 1, max: 86_400 }),
    responseCacheMaxEntries: reader.integer('RESPONSE_CACHE_MAX_ENTRIES', { default: 10_000, min: 1, max: 1_000_000 }),
  };
}

export function createResponseCache(
  settings: ResponseCacheSettings,
  cache: Cache,
  logger: Logger,
): ResponseCache | undefined {
  if (!settings.responseCacheEnabled) return undefined;
  return new ResponseCache(cache, logger, settings.responseCacheTtlSeconds * 1000, settings.responseCacheMaxEntries);
}

const JSON_TYPE = 'application/json; charset=utf-8';
export const CACHE_HIT_HEADERS = { 'content-type': JSON_TYPE, 'x-cache': 'hit' } as const;

/**
 * A service's GET handler with its 200 answers cached under the current generation, keyed by the
 * URL (path and query). `read` runs on a miss; what it throws (404, 503) passes through uncached.
 * The answer is serialised once with the route's response schema and kept as a Buffer, so a hit
 * costs a share of one Redis GET and a Map lookup — no database query, no serialisation.
 */
export async function replyCached(
  responses: ResponseCache | undefined,
  request: FastifyRequest,
  reply: FastifyReply,
  read: () => Promise<unknown>,
): Promise<FastifyReply> {
  const generation = responses ? await responses.beginRead() : undefined;
  if (generation === undefined) return reply.header('x-cache', 'bypass').send(await read());
  const hit = responses?.lookup(generation, request.url);
  if (hit !== undefined) return reply.code(200).headers(CACHE_HIT_HEADERS).send(hit);
  const serialized = reply.serialize(await read());
  const body = typeof serialized === 'string' ? Buffer.from(serialized) : Buffer.from(new Uint8Array(serialized));
  responses?.store(generation, request.url, body);
  return reply.header('x-cache', 'miss').header('content-type', JSON_TYPE).send(body);
}
