import { createMemoryCache, type Cache, type ConfigError } from '@berth/service-kit';
import { silentLogger } from '@berth/service-kit/testing/silent-logger';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadGatewayConfig } from '../src/config.ts';
import { sendJson, startFakeService, type FakeService } from './fake-service.ts';

const started: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const resource of started.splice(0).reverse()) await resource.close();
});

async function fake(respond: Parameters<typeof startFakeService>[0]): Promise<FakeService> {
  const service = await startFakeService(respond);
  started.push(service);
  return service;
}

export const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';

function gateway(env: Record<string, string>, cache: Cache = createMemoryCache()): FastifyInstance {
  const config = { ...loadGatewayConfig({ API_TOKENS: TOKEN, ...env }), responseCacheEnabled: true };
  const app = buildApp({ config, cache, logger: silentLogger() });
  started.push(app);
  return app;
}

const product = (id: number) => ({ id, name: `P${id}`, description: null, price: 1, category: null });
const item = (productId: number) => ({
  id: productId,
  product_id: productId,
  quantity: productId * 2,
  warehouse: 'W',
  last_updated: '2026-01-01T00:00:00.000Z',
});

describe('api-gateway against fake services', () => {
  it('builds products-full from exactly two downstream calls, however many products exist', async () => {
    const all = Array.from({ length: 1000 }, (_, index) => index + 1);
    const products = await fake((_request, response) => sendJson(response, 200, all.map(product)));
    const inventory = await fake((_request, response) =>
      sendJson(response, 200, all.filter((id) => id % 2 === 0).map(item)),
    );
    const app = gateway({ PRODUCT_SERVICE_URL: products.url, INVENTORY_SERVICE_URL: inventory.url });
    const response = await app.inject({ method: 'GET', url: '/api/products-full?force_refresh=true' });
    expect(response.statusCode).toBe(200);
    const body = response.json() as Array<{ id: number; inventory?: { quantity: number } }>;
    expect(body).toHaveLength(1000);
    expect(body[1]).toEqual({ ...product(2), inventory: { quantity: 4, warehouse: 'W' } });
    expect(body[0]).not.toHaveProperty('inventory');
    expect(products.requests.map((r) => r.url)).toEqual(['/products']);
    expect(inventory.requests.map((r) => r.url)).toEqual(['/inventory']);
  });

  it('forwards the request id to every downstream call', async () => {
    const products = await fake((_request, response) => sendJson(response, 200, product(1)));
    const inventory = await fake((_request, response) => sendJson(response, 200, item(1)));
    const app = gateway({ PRODUCT_SERVICE_URL: products.url, INVENTORY_SERVICE_URL: inventory.url });
    const response = await app.inject({
      method: 'GET',
      url: '/api/products/1',
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(response.headers['x-request-id']).toBe('trace-42');
    expect(products.requests[0]?.headers['x-request-id']).toBe('trace-42');
    expect(inventory.requests[0]?.headers['x-request-id']).toBe('trace-42');
    const write = await app.inject({
      method: 'PUT',
      url: '/api/products/1',
      payload: { name: 'X' },
      headers: { 'x-request-id': 'trace-43', authorization: `Bearer ${TOKEN}` },
    });
    expect(write.statusCode).toBe(200);
    expect(products.requests[1]).toMatchObject({ method: 'PUT', url: '/products/1', body: '{"name":"X"}' });
    expect(products.requests[1]?.headers['x-request-id']).toBe('trace-43');
  });

  it('answers 502 without internal addresses when a service is unreachable', async () => {
    const closed = await startFakeService(() => undefined);
    await closed.close();
    const inventory = await fake((_request, response) => sendJson(response, 200, []));
    const app = gateway({ PRODUCT_SERVICE_URL: closed.url, INVENTORY_SERVICE_URL: inventory.url });
    for (const url of ['/api/products', '/api/products/1', '/api/products-full']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(502);
      const body = response.json() as { error: string; message: string };
      expect(body.error).toBe('Error connecting to service');
      expect(body.message).toContain('product-service is unreachable');
      expect(body.message).not.toContain('127.0.0.1');
      expect(body.message).not.toContain(new URL(closed.url).port);
    }
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({
      status: 'degraded',
      service: 'api-gateway',
      downstream_services: { product_service: 'unhealthy', inventory_service: 'healthy' },
    });
  });

  it('answers 504 instead of hanging when a service does not answer in time', async () => {
    const silent = await fake(() => undefined);
    const inventory = await fake((_request, response) => sendJson(response, 200, []));
    const app = gateway({
      PRODUCT_SERVICE_URL: silent.url,
      INVENTORY_SERVICE_URL: inventory.url,
      DOWNSTREAM_TIMEOUT_MS: '200',
    });
    const response = await app.inject({ method: 'GET', url: '/api/products-full' });
    expect(response.statusCode).toBe(504);
    expect(response.json()).toMatchObject({
      error: 'Service timed out',
      message: expect.stringContaining('product-service did not answer within 200 ms'),
    });
  });

  it('passes downstream errors through unchanged', async () => {
    const products = await fake((_request, response) => sendJson(response, 503, { detail: 'Database unavailable: x' }));
    const inventory = await fake((_request, response) =>
      sendJson(response, 404, { detail: 'Inventory not found for this product' }),
    );
    const app = gateway({ PRODUCT_SERVICE_URL: products.url, INVENTORY_SERVICE_URL: inventory.url });
    const response = await app.inject({ method: 'GET', url: '/api/products/7' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ detail: 'Database unavailable: x' });
  });

  it('serves reads without the cache when the cache fails, and caches nothing meanwhile', async () => {
    const products = await fake((_request, response) => sendJson(response, 200, [product(1)]));
    const inventory = await fake((_request, response) => sendJson(response, 200, [item(1)]));
    const broken: Cache = {
      ...createMemoryCache(),
      get: () => Promise.reject(new Error('cache down')),
      setIfAbsent: () => Promise.reject(new Error('cache down')),
    };
    const app = gateway({ PRODUCT_SERVICE_URL: products.url, INVENTORY_SERVICE_URL: inventory.url }, broken);
    for (let i = 0; i < 3; i += 1) {
      const response = await app.inject({ method: 'GET', url: '/api/products-full' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-cache']).toBe('bypass');
    }
    expect(products.requests).toHaveLength(3);
  });

  it('serves a cached answer until the cache generation changes', async () => {
    let name = 'Before';
    const products = await fake((_request, response) => sendJson(response, 200, [{ ...product(1), name }]));
    const inventory = await fake((_request, response) => sendJson(response, 200, []));
    const cache = createMemoryCache();
    const app = gateway({ PRODUCT_SERVICE_URL: products.url, INVENTORY_SERVICE_URL: inventory.url }, cache);
    expect((await app.inject({ method: 'GET', url: '/api/products' })).headers['x-cache']).toBe('miss');
    name = 'After';
    const cached = await app.inject({ method: 'GET', url: '/api/products' });
    expect(cached.headers['x-cache']).toBe('hit');
    expect(cached.json()).toEqual([{ ...product(1), name: 'Before' }]);
    await cache.set('cache-generation', 'a-new-generation');
    expect((await app.inject({ method: 'GET', url: '/api/products' })).json()).toEqual([
      { ...product(1), name: 'After' },
    ]);
  });

  it('rejects invalid configuration naming each variable', () => {
    let problems: readonly string[] = [];
    try {
      loadGatewayConfig({
        PORT: '99999',
        PRODUCT_SERVICE_URL: 'not a url',
        DOWNSTREAM_TIMEOUT_MS: 'soon',
        LOG_LEVEL: 'loud',
        API_TOKENS: 'short, test-token-0123456789abcdefghijklmnopqrstuvwxyz',
        CORS_ORIGINS: 'https://shop.example.com, https://shop.example.com/path',
      });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      'PORT=99999 is out of range (expected 0..65535).',
      'LOG_LEVEL="loud" is not one of: fatal, error, warn, info, debug, trace, silent.',
      'PRODUCT_SERVICE_URL is not a valid URL (expected http://… or https://…).',
      'DOWNSTREAM_TIMEOUT_MS="soon" is not an integer (expected 50..120000).',
      'API_TOKENS item 1 has 5 characters; use at least 32.',
      'CORS_ORIGINS item "https://shop.example.com/path" is not an origin (expected scheme://host[:port], no path or slash).',
    ]);
    expect(() => loadGatewayConfig({})).toThrow(/API_TOKENS is not set/);
  });
});
