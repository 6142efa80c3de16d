import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { PG_CHARACTER_NOT_IN_REPERTOIRE, PG_UNTRANSLATABLE_CHARACTER, sqlState } from './database.ts';
import { DatabaseUnavailableError, HttpError } from './errors.ts';
import { nulFreeKeyword, nulFreeRoute } from './nul-free-strings.ts';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.ts';
import { OneLinePerRequestLog } from './request-log.ts';

export interface ValidationProblem {
  location: string;
  message: string;
}

/** Request bodies above this get 413 (the contract's limit). */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface ServiceAppOptions {
  logger: Logger;
  /**
   * How many proxies in front of the service to trust for the client address (X-Forwarded-For):
   * 1 behind a load balancer, 0 when clients connect directly.
   */
  trustedProxies?: number;
  /** Turns a schema validation failure into the status and body this service's contract promises. */
  validationResponse?: (
    problems: ValidationProblem[],
    request: FastifyRequest,
  ) => { statusCode: number; body: Record<string, unknown> };
  /** Maps this service's own error types to a response; undefined falls through to the shared handling. */
  errorResponse?: (error: unknown, request: FastifyRequest) => { statusCode: number; body: unknown } | undefined;
}

function defaultValidationResponse(problems: ValidationProblem[]): {
  statusCode: number;
  body: Record<string, unknown>;
} {
  return {
    statusCode: 422,
    body: {
      detail: `Validation failed: ${problems.map((p) => `${p.location} ${p.message}`).join('; ')}`,
      errors: problems,
    },
  };
}

function validationProblems(error: FastifyError): ValidationProblem[] {
  const context = error.validationContext ?? 'request';
  return (error.validation ?? []).map((issue) => {
    const missing = issue.keyword === 'required' ? `/${String(issue.params.missingProperty)}` : '';
    const extra = issue.keyword === 'additionalProperties' ? `/${String(issue.params.additionalProperty)}` : '';
    const message =
      issue.keyword === 'additionalProperties' ? 'is not an accepted field' : (issue.message ?? 'is invalid');
    return { location: `${context}${issue.instancePath}${missing}${extra}`, message };
  });
}

/** What a client is told when the database refuses a character the schemas let through. */
export const UNSTORABLE_CHARACTER_PROBLEM: ValidationProblem = {
  location: 'request',
  message:
    'contains a character the database cannot store (NUL, U+0000, or one outside its encoding); remove it and retry',
};
const UNSTORABLE_CHARACTER_STATES = new Set([PG_CHARACTER_NOT_IN_REPERTOIRE, PG_UNTRANSLATABLE_CHARACTER]);

export const DATABASE_UNAVAILABLE_DETAIL =
  'The database is unavailable right now; the service reconnects by itself. Retry in a few seconds.';

/**
 * A Fastify instance with what every Berth service shares: pino logging with one line per
 * request, x-request-id reuse and echo, strict JSON-schema validation (no type coercion, so
 * `"5"` or `true` is never taken for a number; no NUL in any string a request schema accepts) and JSON
 * errors that say what to do next.
 */
export function createServiceApp(options: ServiceAppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new OneLinePerRequestLog(),
    genReqId: requestIdFor,
    ajv: {
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false },
      plugins: [nulFreeKeyword],
    },
    // Fastify 5 closes idle keep-alive sockets on close() and lets in-flight requests finish.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    bodyLimit: MAX_BODY_BYTES,
    // proxy-addr's rule: trust the closest `trustedProxies` hops, so request.ip is the client's.
    trustProxy: (_address: string, hop: number) => hop < (options.trustedProxies ?? 0),
  }) as unknown as FastifyInstance;

  // Before any route is added, so every route's request schemas refuse NUL (PostgreSQL cannot store it).
  app.addHook('onRoute', nulFreeRoute);

  // Callback-style hooks: an async hook costs a promise per request on every route.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.header('x-content-type-options', 'nosniff');
    done();
  });

  // Requests still running when close() starts must not leave keep-alive sockets behind that
  // would hold the server open until the client gives up: their responses close the connection.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  const validationResponse = options.validationResponse ?? defaultValidationResponse;

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof HttpError) return reply.code(error.statusCode).send(error.body);
    const mapped = options.errorResponse?.(error, request);
    if (mapped !== undefined) return reply.code(mapped.statusCode).send(mapped.body);
    if (error.validation) {
      const { statusCode, body } = validationResponse(validationProblems(error), request);
      return reply.code(statusCode).send(body);
    }
    // The second line behind the schemas: a character PostgreSQL refuses is the client's input, not a fault.
    if (UNSTORABLE_CHARACTER_STATES.has(sqlState(error) ?? '')) {
      request.log.info({ sqlState: sqlState(error) }, 'database refused a character in the request');
      const { statusCode, body } = validationResponse([UNSTORABLE_CHARACTER_PROBLEM], request);
      return reply.code(statusCode).send(body);
    }
    if (error instanceof DatabaseUnavailableError) {
      // The reason (host, port, driver message) is for the logs only, never for clients.
      request.log.warn({ err: error }, 'database unavailable');
      return reply.code(503).header('retry-after', '5').send({ detail: DATABASE_UNAVAILABLE_DETAIL });
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ detail: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ detail: `Internal server error; quote request id ${request.id} when reporting it.` });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ detail: `No route for ${request.method} ${request.url.split('?')[0] ?? ''}` });
  });

  return app;
}
