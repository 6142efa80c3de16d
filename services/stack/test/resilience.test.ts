import {
  createScratchDatabase,
  deleteRedisPrefix,
  scratchRedisPrefix,
  TEST_POSTGRES,
  type ScratchDatabase,
} from '@berth/service-kit/testing/backends';
import { startTcpProxy, type TcpProxy } from '@berth/service-kit/testing/tcp-proxy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '../src/start-stack.ts';
import { call, type JsonResponse } from './http.ts';

// Outages of the shared servers are simulated with a TCP proxy this test owns and cuts, so the
// machine's PostgreSQL and Redis keep running for everybody else.

/** Repeats `attempt` until `done` holds (bounded by attempts, not by time); returns the last answer. */
async function until(
  attempt: () => Promise<JsonResponse>,
  done: (response: JsonResponse) => boolean,
  attempts = 200,
): Promise<JsonResponse> {
  let last = await attempt();
  for (let i = 1; i < attempts && !done(last); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await attempt();
  }
  return last;
}

describe('Redis stops mid-test', () => {
  let database: ScratchDatabase;
  let redisProxy: TcpProxy;
  let stack: RunningStack;
  const prefix = scratchRedisPrefix('redis-outage');

  beforeAll(async () => {
    database = await createScratchDatabase('redis_outage');
    redisProxy = await startTcpProxy('127.0.0.1', 6379);
    stack = await startStack({
      env: { DATABASE_URL: database.url, REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`, REDIS_KEY_PREFIX: prefix },
      gatewayPort: 0,
      productPort: 0,
      inventoryPort: 0,
      logLevel: 'silent',
    });
  });

  afterAll(async () => {
    await stack?.close();
    await redisProxy?.close();
    await database?.drop();
    await deleteRedisPrefix(prefix);
  });

  it('keeps reads and writes working, stays fresh, and caches again once Redis is back', async () => {
    const gw = stack.gatewayUrl;
    // The Redis client connects in the background; reads bypass the cache until it is ready.
    const warmed = await until(
      () => call(gw, 'GET', '/api/products/1'),
      (response) => response.headers.get('x-cache') === 'hit',
    );
    expect(warmed.headers.get('x-cache')).toBe('hit');

    await redisProxy.cut();
    for (const path of [
      '/api/products/1',
      '/api/products-full',
      '/api/products',
      '/api/inventory',
      '/api/inventory/1',
    ]) {
      const response = await call(gw, 'GET', path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('x-cache'), path).toBe('bypass');
    }
    const adjusted = await call(stack.inventoryUrl, 'POST', '/inventory/1/adjust', { body: { delta: -1 } });
    expect(adjusted.status).toBe(200);
    expect((await call(gw, 'GET', '/api/products/1')).body.inventory.quantity).toBe(49);
    const ready = await call(stack.productUrl, 'GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'up', cache: 'down' });

    await redisProxy.restore();
    const cachedAgain = await until(
      () => call(gw, 'GET', '/api/products/1'),
      (response) => response.headers.get('x-cache') === 'hit',
    );
    expect(cachedAgain.headers.get('x-cache')).toBe('hit');
    expect(cachedAgain.body.inventory.quantity).toBe(49);
    expect((await call(stack.inventoryUrl, 'POST', '/inventory/1/adjust', { body: { delta: -2 } })).status).toBe(200);
    expect((await call(gw, 'GET', '/api/products/1')).body.inventory.quantity).toBe(47);
  });

  it('never serves data cached before a write made while Redis was down, even with no read during the outage', async () => {
    const gw = stack.gatewayUrl;
    const before = await until(
      () => call(gw, 'GET', '/api/products/2'),
      (response) => response.headers.get('x-cache') === 'hit',
    );
    const quantity = before.body.inventory.quantity as number;

    await redisProxy.cut();
    // The write succeeds but cannot announce itself: the generation bump fails and is retried.
    expect((await call(stack.inventoryUrl, 'PUT', '/inventory/2', { body: { quantity: quantity + 10 } })).status).toBe(
      200,
    );
    await redisProxy.restore();

    const seen: number[] = [];
    await until(
      async () => {
        const response = await call(gw, 'GET', '/api/products/2');
        seen.push(response.body.inventory.quantity as number);
        return response;
      },
      (response) => response.headers.get('x-cache') === 'hit',
    );
    expect(new Set(seen)).toEqual(new Set([quantity + 10]));
  });
});

describe('PostgreSQL becomes unreachable', () => {
  let database: ScratchDatabase;
  let postgresProxy: TcpProxy;
  let stack: RunningStack;

  beforeAll(async () => {
    database = await createScratchDatabase('pg_outage');
    postgresProxy = await startTcpProxy(TEST_POSTGRES.host, TEST_POSTGRES.port);
    stack = await startStack({
      env: { DATABASE_URL: database.urlVia(postgresProxy.port), DB_CONNECT_TIMEOUT_MS: '1000' },
      gatewayPort: 0,
      productPort: 0,
      inventoryPort: 0,
      logLevel: 'silent',
    });
  });

  afterAll(async () => {
    await stack?.close();
    await postgresProxy?.close();
    await database?.drop();
  });

  it('answers 503 JSON from the routes that need it, then recovers without a restart', async () => {
    expect((await call(stack.productUrl, 'GET', '/products')).status).toBe(200);

    await postgresProxy.cut();
    const products = await call(stack.productUrl, 'GET', '/products/2');
    expect(products.status).toBe(503);
    // No host, port or driver message reaches the client; the log has them.
    expect(products.body).toEqual({
      detail: 'The database is unavailable right now; the service reconnects by itself. Retry in a few seconds.',
    });
    expect(products.text).not.toContain('127.0.0.1');
    expect(products.text).not.toContain(String(postgresProxy.port));
    expect((await call(stack.inventoryUrl, 'POST', '/inventory/2/adjust', { body: { delta: 1 } })).status).toBe(503);
    expect((await call(stack.gatewayUrl, 'GET', '/api/products?category=Electronics')).status).toBe(503);
    // /ready answers are up to one readiness interval old: wait for the probe that saw the outage.
    const notReady = await until(
      () => call(stack.inventoryUrl, 'GET', '/ready'),
      (response) => response.status !== 200,
    );
    expect(notReady.status).toBe(503);
    expect(notReady.body).toEqual({ status: 'not_ready', checks: { database: 'down', cache: 'up' } });
    // Liveness stays green: a database outage must not get healthy tasks replaced.
    expect((await call(stack.productUrl, 'GET', '/health')).status).toBe(200);

    await postgresProxy.restore();
    const recovered = await until(
      () => call(stack.productUrl, 'GET', '/products/2'),
      (response) => response.status === 200,
    );
    expect(recovered.status).toBe(200);
    expect((await call(stack.inventoryUrl, 'POST', '/inventory/2/adjust', { body: { delta: 1 } })).body.quantity).toBe(
      151,
    );
    const readyAgain = await until(
      () => call(stack.inventoryUrl, 'GET', '/ready'),
      (response) => response.status === 200,
    );
    expect(readyAgain.status).toBe(200);
  });
});
