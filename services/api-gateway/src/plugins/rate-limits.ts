import fastifyRateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { HttpError, type Cache } from '@berth/service-kit';
import type { FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { RateLimitSettings } from '../config.ts';
import { WindowCounters } from '../window-counters.ts';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const UNLIMITED_PATHS = new Set(['/health', '/ready']);

/** The rate-limit plugin's store over WindowCounters: no cache round trip on the request path. */
export function windowCounterStore(counters: WindowCounters): FastifyRateLimitStoreCtor {
  return class WindowCounterStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      windowMs: number,
    ): void {
      const { count, ttlMs } = counters.hit(key, windowMs);
      callback(null, { current: count, ttl: ttlMs });
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  };
}

function isWrite(request: FastifyRequest): boolean {
  return !READ_METHODS.has(request.method);
}

/**
 * Requests per client address and fixed window, writes counted apart and limited more strictly
 * (refused writes count too, which slows token guessing). Over the limit: 429 with Retry-After.
 * The counts are shared by every gateway task through the cache (Redis), synchronised in the
 * background; when it cannot be reached each task limits on its own counts.
 */
export const rateLimits = fastifyPlugin<{ cache: Cache; settings: RateLimitSettings }>(
  async (app, { cache, settings }) => {
    const counters = new WindowCounters(cache, 'rate-limit:');
    app.addHook('onClose', async () => counters.close());
    await app.register(fastifyRateLimit, {
      global: true,
      hook: 'onRequest',
      store: windowCounterStore(counters),
      skipOnError: true,
      timeWindow: settings.windowMs,
      keyGenerator: (request) => `${isWrite(request) ? 'write' : 'read'}:${request.ip}`,
      max: (request) => (isWrite(request) ? settings.writesPerWindow : settings.readsPerWindow),
      allowList: (request) => UNLIMITED_PATHS.has(request.url),
      // Headers only when a client is refused (Retry-After and the limit): three fewer on every answer.
      addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
      errorResponseBuilder: (request, context) =>
        new HttpError(429, {
          error: 'Too Many Requests',
          message: `More than ${context.max} ${isWrite(request) ? 'writes' : 'reads'} from this address in ${Math.round(settings.windowMs / 1000)} s; retry in ${context.after}.`,
        }),
    });
  },
  { name: 'rate-limits' },
);
