import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Cache } from './cache.ts';
import { errorMessage } from './errors.ts';

/**
 * The no-stale-read rule rests on one key: the cache generation. Every service that writes
 * product or inventory data replaces it with a fresh random token after the write commits and
 * before it answers. Readers (the gateway) read the token first and only serve cached data that
 * was fetched under the same token, so data cached before a write can never be served after it.
 * Random tokens (not counters) mean a Redis that restarts empty cannot bring an old token back.
 */
export const CACHE_GENERATION_KEY = 'cache-generation';

/** The current generation token, creating one if the key is missing (fresh or restarted Redis). */
export async function readCacheGeneration(cache: Cache): Promise<string> {
  const current = await cache.get(CACHE_GENERATION_KEY);
  if (current !== null) return current;
  return cache.setIfAbsent(CACHE_GENERATION_KEY, randomUUID());
}

/**
 * Reads the generation for many concurrent requests with as few cache round trips as the rule
 * allows. A caller may NOT share a read that is already on its way to the cache: that read may
 * have been answered before a write that returned before this caller arrived, and would hand it
 * the old token (a stale read). A caller MAY share a read that is sent after it arrived: such a
 * read is ordered after every write that had returned by then (a write returns only after its
 * bump is acknowledged). So the first caller sends a read at once, and everybody arriving while
 * it is in flight waits for it to settle and then shares one new read — one cache command per
 * round trip instead of one per request, each answer at most two round trips old.
 */
export function createGenerationReader(cache: Cache): () => Promise<string> {
  let inFlight: Promise<string> | undefined;
  let next: Promise<string> | undefined;
  const ignore = (): void => undefined;

  function send(): Promise<string> {
    const read = readCacheGeneration(cache).finally(() => {
      if (inFlight === read) inFlight = undefined;
    });
    inFlight = read;
    return read;
  }

  return () => {
    if (inFlight === undefined) return send();
    next ??= inFlight.then(ignore, ignore).then(() => {
      next = undefined;
      return send();
    });
    return next;
  };
}

export interface CacheInvalidator {
  /** Call after a write commits, before answering: starts a new generation. Never rejects. */
  afterWrite(): Promise<void>;
  /** Stops retrying a failed bump (process shutdown). */
  close(): void;
}

/**
 * When the cache is unreachable the write still succeeds (the data is in PostgreSQL) and the bump
 * is retried until it lands, so the token cannot outlive the write once Redis is back.
 */
export function createCacheInvalidator(cache: Cache, logger: Logger, retryIntervalMs = 250): CacheInvalidator {
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;

  async function bump(): Promise<boolean> {
    try {
      await cache.set(CACHE_GENERATION_KEY, randomUUID());
      return true;
    } catch (error) {
      logger.warn(
        { err: errorMessage(error) },
        'could not start a new cache generation; retrying until the cache answers',
      );
      return false;
    }
  }

  function scheduleRetry(): void {
    if (closed || retryTimer !== undefined) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void bump().then((done) => {
        if (!done) scheduleRetry();
        else logger.info('cache generation advanced after the cache came back');
      });
    }, retryIntervalMs);
    retryTimer.unref();
  }

  return {
    async afterWrite() {
      if (!(await bump())) scheduleRetry();
    },
    close() {
      closed = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      retryTimer = undefined;
    },
  };
}
