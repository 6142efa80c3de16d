import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import fastifyPlugin from 'fastify-plugin';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BEARER = /^Bearer ([^\s]+)$/i;

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Whether `candidate` is one of the tokens, comparing fixed-length digests in constant time. */
export function tokenMatcher(tokens: readonly string[]): (candidate: string) => boolean {
  const accepted = tokens.map(digest);
  return (candidate) => {
    const presented = digest(candidate);
    // Every token is compared, so the time taken does not tell which one (if any) matched.
    let matched = false;
    for (const token of accepted) matched = timingSafeEqual(token, presented) || matched;
    return matched;
  };
}

function refuse(reply: FastifyReply, reason: 'missing' | 'invalid'): FastifyReply {
  const challenge = reason === 'missing' ? 'Bearer realm="berth"' : 'Bearer realm="berth", error="invalid_token"';
  const message =
    reason === 'missing'
      ? 'Writes need an Authorization: Bearer <token> header; ask the operator for a token from API_TOKENS.'
      : 'The bearer token is not valid (it may have been rotated); ask the operator for a current one.';
  return reply.code(401).header('www-authenticate', challenge).send({ error: 'Unauthorized', message });
}

/**
 * Reads are public; every other method needs `Authorization: Bearer <token>` with one of the
 * configured tokens, checked before the body is read or anything is forwarded, so a refused
 * write changes nothing. The check is added to each write route after the hooks registered
 * before this plugin (the rate limit), so refused writes are counted too.
 */
export const writeAccess = fastifyPlugin<{ tokens: readonly string[] }>(
  (app, options, done) => {
    const isAccepted = tokenMatcher(options.tokens);
    const requireToken: onRequestHookHandler = (request: FastifyRequest, reply: FastifyReply, next) => {
      const header = request.headers.authorization;
      if (header === undefined) return refuse(reply, 'missing');
      const token = BEARER.exec(header)?.[1];
      if (token === undefined || !isAccepted(token)) {
        request.log.warn({ method: request.method, url: request.url }, 'write refused: invalid bearer token');
        return refuse(reply, 'invalid');
      }
      next();
    };
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (methods.every((method) => READ_METHODS.has(method))) return;
      const existing = route.onRequest === undefined ? [] : [route.onRequest].flat();
      route.onRequest = [...existing, requireToken];
    });
    done();
  },
  { name: 'write-access' },
);
