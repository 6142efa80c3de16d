import { buildApp as buildGateway } from '@berth/api-gateway/app';
import { loadGatewayConfig } from '@berth/api-gateway/config';
import { buildApp as buildInventoryService } from '@berth/inventory-service/app';
import { loadInventoryServiceConfig } from '@berth/inventory-service/config';
import { CATALOG_MIGRATIONS } from '@berth/catalog';
import { applyMigrations, createRedisCache, openDatabase, type Cache, type Database } from '@berth/service-kit';
import {
  createScratchDatabase,
  deleteRedisPrefix,
  scratchRedisPrefix,
  type ScratchDatabase,
} from '@berth/service-kit/testing/backends';
import { silentLogger } from '@berth/service-kit/testing/silent-logger';
import { startTcpProxy, type TcpProxy } from '@berth/service-kit/testing/tcp-proxy';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type JsonResponse } from './http.ts';

async function until(
  attempt: () => Promise<JsonResponse>,
  done: (response: JsonResponse) => boolean,
): Promise<JsonResponse> {
  let last = await attempt();
  for (let i = 1; i < 200 && !done(last); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await attempt();
  }
  return last;
}

// The gateway and inventory-service reach Redis through separate proxies, so the test can bring
// Redis back for the gateway while the writer still cannot announce its write.
describe('gateway cache after losing its Redis connection', () => {
  const prefix = scratchRedisPrefix('connection-loss');
  let scratch: ScratchDatabase;
  let db: Database;
  let gatewayRedis: TcpProxy;
  let writerRedis: TcpProxy;
  const caches: Cache[] = [];
  const apps: FastifyInstance[] = [];
  let gatewayUrl: string;
  let inventoryUrl: string;

  beforeAll(async () => {
    scratch = await createScratchDatabase('connection_loss');
    gatewayRedis = await startTcpProxy('127.0.0.1', 6379);
    writerRedis = await startTcpProxy('127.0.0.1', 6379);
    const logger = silentLogger();
    const redis = (port: number) => {
      const cache = createRedisCache(
        {
          kind: 'redis',
          url: `redis://127.0.0.1:${port}`,
          keyPrefix: prefix,
          connectTimeoutMs: 1_000,
          commandTimeoutMs: 500,
        },
        logger,
      );
      caches.push(cache);
      return cache;
    };
    db = await openDatabase(scratch.settings(), logger);
    await applyMigrations(db, CATALOG_MIGRATIONS, logger);
    const inventory = buildInventoryService({
      config: loadInventoryServiceConfig({}),
      db,
      cache: redis(writerRedis.port),
      logger,
    });
    apps.push(inventory);
    inventoryUrl = await inventory.listen({ host: '127.0.0.1', port: 0 });
    const gatewayConfig = loadGatewayConfig({
      REDIS_URL: `redis://127.0.0.1:${gatewayRedis.port}`,
      API_TOKENS: 'connection-loss-token-0123456789abcdefghij',
      // Only inventory routes are exercised; product-service is not needed here.
      PRODUCT_SERVICE_URL: inventoryUrl,
      INVENTORY_SERVICE_URL: inventoryUrl,
    });
    const gateway = buildGateway({ config: gatewayConfig, cache: redis(gatewayRedis.port), logger });
    apps.push(gateway);
    gatewayUrl = await gateway.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await Promise.allSettled(caches.map((cache) => cache.close()));
    await db?.close();
    await gatewayRedis?.close();
    await writerRedis?.close();
    await scratch?.drop();
    await deleteRedisPrefix(prefix);
  });

  it('drops what it cached when the connection drops, so a write it could not hear about is never hidden', async () => {
    const cached = await until(
      () => call(gatewayUrl, 'GET', '/api/inventory/3'),
      (response) => response.headers.get('x-cache') === 'hit',
    );
    expect(cached.body.quantity).toBe(75);

    await gatewayRedis.cut();
    await writerRedis.cut();
    expect((await call(inventoryUrl, 'PUT', '/inventory/3', { body: { quantity: 76 } })).status).toBe(200);

    // Redis is back for the gateway only; the writer's generation bump is still failing.
    await gatewayRedis.restore();
    const reconnected = await until(
      () => call(gatewayUrl, 'GET', '/ready'),
      (response) => response.body.checks.cache === 'up',
    );
    expect(reconnected.body.checks.cache).toBe('up');
    const afterWrite = await call(gatewayUrl, 'GET', '/api/inventory/3');
    expect(afterWrite.body.quantity).toBe(76);

    await writerRedis.restore();
  });
});
