import { afterEach, describe, expect, it } from 'vitest';
import { registerReadiness, READINESS_MIN_INTERVAL_MS } from '../src/readiness.ts';
import { createServiceApp } from '../src/service-app.ts';
import { silentLogger } from '../src/testing/silent-logger.ts';

// /ready is public through the gateway and each answer used to probe PostgreSQL and Redis: a flood of requests
// became a flood of probes. The answer is now reused until the interval has passed since its probe started.

function readyApp(options: { database?: () => Promise<void> } = {}) {
  let clock = 1_000_000;
  const probes = { database: 0, cache: 0 };
  const app = createServiceApp({ logger: silentLogger() });
  registerReadiness(app, {
    checks: {
      database: async () => {
        probes.database += 1;
        await options.database?.();
      },
      cache: async () => {
        probes.cache += 1;
      },
    },
    required: ['database'],
    now: () => clock,
  });
  return {
    app,
    probes,
    advance: (ms: number) => (clock += ms),
    ready: async () => {
      const answer = await app.inject({ method: 'GET', url: '/ready' });
      return { status: answer.statusCode, body: answer.json<{ status: string; checks: Record<string, string> }>() };
    },
  };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('GET /ready under a flood', () => {
  it('200 requests within one interval, concurrent and one after another, cost one probe of each dependency', async () => {
    const service = readyApp();
    close = () => service.app.close();
    const concurrent = await Promise.all(Array.from({ length: 100 }, () => service.ready()));
    for (let i = 0; i < 100; i += 1) {
      service.advance((READINESS_MIN_INTERVAL_MS - 1) / 100);
      concurrent.push(await service.ready());
    }
    expect(concurrent.every((answer) => answer.status === 200)).toBe(true);
    expect(service.probes).toEqual({ database: 1, cache: 1 });
  });

  it('probes again once the interval has passed, so a change shows within one interval', async () => {
    let databaseUp = true;
    const service = readyApp({
      database: async () => {
        if (!databaseUp) throw new Error('connection refused');
      },
    });
    close = () => service.app.close();
    expect((await service.ready()).status).toBe(200);

    databaseUp = false;
    service.advance(READINESS_MIN_INTERVAL_MS - 1);
    expect((await service.ready()).status).toBe(200);
    service.advance(1);
    expect(await service.ready()).toEqual({
      status: 503,
      body: { status: 'not_ready', checks: { database: 'down', cache: 'up' } },
    });
    expect(service.probes.database).toBe(2);

    // A failing dependency is not probed more often than a healthy one.
    for (let i = 0; i < 50; i += 1) expect((await service.ready()).status).toBe(503);
    expect(service.probes.database).toBe(2);
  });

  it('requests arriving while a probe is still running share it', async () => {
    const pending: (() => void)[] = [];
    const service = readyApp({ database: () => new Promise<void>((resolve) => pending.push(resolve)) });
    close = () => service.app.close();
    const waiting = Array.from({ length: 20 }, () => service.ready());
    // Long past the interval while the probe hangs: still the one probe.
    service.advance(READINESS_MIN_INTERVAL_MS * 10);
    const more = Array.from({ length: 20 }, () => service.ready());
    await new Promise((resolve) => setImmediate(resolve));
    for (const release of pending) release();
    const answers = await Promise.all([...waiting, ...more]);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(service.probes.database).toBe(1);
  });
});
