import type { FastifyInstance } from 'fastify';

export type ReadinessCheck = () => Promise<void>;

export interface ReadinessOptions {
  /** Each check resolves when its dependency answers. */
  checks: Record<string, ReadinessCheck>;
  /** Checks whose failure makes the service not ready (503); the others only report "down". */
  required: readonly string[];
  /** The shortest time between two probes of the dependencies; default READINESS_MIN_INTERVAL_MS. */
  minIntervalMs?: number;
  /** The clock, in milliseconds (tests inject one). */
  now?: () => number;
}

/**
 * /ready answers are reused for this long after their probe started: a flood of requests (the gateway's /ready is
 * public and fans out to both services) costs each dependency at most one probe per second.
 */
export const READINESS_MIN_INTERVAL_MS = 1_000;

interface Readiness {
  ready: boolean;
  checks: Record<string, 'up' | 'down'>;
}

const readinessSchema = {
  response: {
    200: { $ref: 'berth-readiness#' },
    503: { $ref: 'berth-readiness#' },
  },
} as const;

/**
 * GET /ready: the state of each dependency. The ALB's liveness probe stays on /health (a database
 * outage must not get healthy tasks killed); /ready is for deploy checks and operators. Answers are at most one
 * interval old (READINESS_MIN_INTERVAL_MS), so /ready can be polled or flooded without loading the dependencies.
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
  const minIntervalMs = options.minIntervalMs ?? READINESS_MIN_INTERVAL_MS;
  const now = options.now ?? Date.now;
  const names = Object.keys(options.checks);

  async function probe(): Promise<Readiness> {
    const outcomes = await Promise.allSettled(names.map((name) => options.checks[name]?.() ?? Promise.resolve()));
    const checks: Record<string, 'up' | 'down'> = {};
    names.forEach((name, index) => {
      checks[name] = outcomes[index]?.status === 'fulfilled' ? 'up' : 'down';
    });
    return { ready: options.required.every((name) => checks[name] !== 'down'), checks };
  }

  // The latest probe, finished or in flight: requests share it until the interval has passed since it started.
  let latest: { startedAt: number; result: Promise<Readiness>; settled: boolean } | undefined;
  function current(): Promise<Readiness> {
    const stale = latest === undefined || (latest.settled && now() - latest.startedAt >= minIntervalMs);
    if (stale) {
      const started = { startedAt: now(), result: probe(), settled: false };
      void started.result.finally(() => (started.settled = true));
      latest = started;
    }
    return latest!.result;
  }

  app.get('/ready', { schema: readinessSchema }, async (_request, reply) => {
    const { ready, checks } = await current();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });
}
