import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ResponseCache } from './response-cache.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const CACHE_HIT_HEADERS = { 'content-type': JSON_TYPE, 'x-cache': 'hit' } as const;

/** What a read produced: only a 200 with a body is cached; anything else passes through. */
export interface ReadAnswer {
  statusCode: number;
  body: Buffer | string;
  contentType?: string;
}

/**
 * The cached-read rule every service follows (the no-stale-read rule of the contract): read the
 * generation first, serve a hit only if it was stored under that generation, otherwise run `load`
 * and keep its 200 answer under the generation observed before loading. `x-cache` says which
 * happened (`hit`, `miss`, or `bypass` while the shared cache is unreachable). What `load` throws
 * (404, 503) passes through uncached. `refresh` skips the lookup but still stores the fresh answer.
 */
export async function sendCachedRead(
  responses: ResponseCache | undefined,
  reply: FastifyReply,
  key: string,
  load: () => Promise<ReadAnswer>,
  options: { refresh?: boolean } = {},
): Promise<FastifyReply> {
  const generation = responses === undefined ? undefined : await responses.beginRead();
  if (generation !== undefined && options.refresh !== true) {
    const hit = responses?.lookup(generation, key);
    if (hit !== undefined) return reply.code(200).headers(CACHE_HIT_HEADERS).send(hit);
  }
  const answer = await load();
  reply.code(answer.statusCode).header('x-cache', generation === undefined ? 'bypass' : 'miss');
  if (answer.statusCode === 204 || answer.body.length === 0) return reply.send();
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
  if (generation !== undefined && answer.statusCode === 200) responses?.store(generation, key, body);
  return reply.header('content-type', answer.contentType ?? JSON_TYPE).send(body);
}

/** A route's 200 answer serialised with its response schema, ready for sendCachedRead. */
export function serializedAnswer(reply: FastifyReply, value: unknown): ReadAnswer {
  const serialized = reply.serialize(value);
  return {
    statusCode: 200,
    body: typeof serialized === 'string' ? serialized : Buffer.from(new Uint8Array(serialized)),
  };
}

/**
 * The query string made only of the parameters the route's schema defines, in a fixed order
 * ('' when none is given), so `?bust=1` or a reordered query never reaches a service or makes
 * a separate cache entry.
 */
export function definedQuery(request: FastifyRequest, except: readonly string[] = []): string {
  const schema = request.routeOptions.schema?.querystring as { properties?: Record<string, unknown> } | undefined;
  const names = Object.keys(schema?.properties ?? {})
    .filter((name) => !except.includes(name))
    .sort();
  const query = request.query as Record<string, unknown>;
  const search = new URLSearchParams();
  for (const name of names) {
    const value = query[name];
    if (typeof value === 'string') search.append(name, value);
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** The cache key of a read: the route, its path parameters and its defined query parameters. */
export function routeCacheKey(request: FastifyRequest, except: readonly string[] = []): string {
  const params = request.params as Record<string, string> | undefined;
  const values = params === undefined ? '' : Object.values(params).map(encodeURIComponent).join('/');
  return `${request.routeOptions.url ?? ''}|${values}${definedQuery(request, except)}`;
}
