import { readCacheGeneration, type Cache, type Logger } from '@berth/service-kit';

interface Entry {
  body: string;
  expiresAt: number;
}

/**
 * GET responses kept in this process, valid only under the cache generation they were fetched
 * in (see cache-generation.ts in the service kit). A hit costs one Redis GET (auto-pipelined)
 * and a Map lookup. Every entry in the map was stored by a read that observed the current
 * generation before fetching, and the map is emptied whenever a different generation is seen, so
 * nothing fetched before a write is served after that write's generation bump.
 */
export class ResponseCache {
  private generation: string | undefined;
  private readonly entries = new Map<string, Entry>();
  private cacheWasDown = false;

  constructor(
    private readonly cache: Cache,
    private readonly logger: Logger,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {
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
      generation = await readCacheGeneration(this.cache);
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

  lookup(generation: string, key: string): string | undefined {
    if (generation !== this.generation) return undefined;
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.body;
  }

  store(generation: string, key: string, body: string): void {
    // A read that started under an older generation may have fetched data older than a write.
    if (generation !== this.generation) return;
    if (!this.entries.has(key) && this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { body, expiresAt: Date.now() + this.ttlMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
