import type { FastifyInstance } from 'fastify';

export type ReadinessCheck = () => Promise<void>;

export interface ReadinessOptions {
  /** Each check resolves when its dependency answers. */
  checks: Record<string, ReadinessCheck>;
  /** Checks whose failure makes the service not ready (503); the others only report "down". */
  required: readonly string[];
}

const readinessSchema = {
  response: {
    200: { $ref: 'berth-readiness#' },
    503: { $ref: 'berth-readiness#' },
  },
} as const;

/**
 * GET /ready: the state of each dependency. The ALB's liveness probe stays on /health (a database
 * outage must not get healthy tasks killed); /ready is for deploy checks and operators.
 */
export function registerReadiness(app: FastifyInstance, options: ReadinessOptions): void {
  app.addSchema({
    $id: 'berth-readiness',
    type: 'object',
    required: ['status', 'checks'],
    properties: {
      status: { type: 'string', enum: ['ready', 'not_ready'] },
      checks: { type: 'object', additionalProperties: { type: 'string', enum: ['up', 'down'] } },
    },
  });
  app.get('/ready', { schema: readinessSchema }, async (_request, reply) => {
    const names = Object.keys(options.checks);
    const outcomes = await Promise.allSettled(names.map((name) => options.checks[name]?.() ?? Promise.resolve()));
    const checks: Record<string, 'up' | 'down'> = {};
    names.forEach((name, index) => {
      checks[name] = outcomes[index]?.status === 'fulfilled' ? 'up' : 'down';
    });
    const ready = options.required.every((name) => checks[name] !== 'down');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });
}
