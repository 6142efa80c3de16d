import { createMemoryCache, ResponseCache, type Cache } from '@berth/service-kit';
import { silentLogger } from '@berth/service-kit/testing/silent-logger';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadGatewayConfig } from '../src/config.ts';
import { sendJson, startFakeService, type FakeService } from './fake-service.ts';

const TOKEN = 'current-token-0123456789abcdefghijklmnopqrstuv';
const OLD_TOKEN = 'previous-token-0123456789abcdefghijklmnopqrst';

const started: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const resource of started.splice(0).reverse()) await resource.close();
});

const product = (id: number, description: string | null = null) => ({
  id,
  name: `P${id}`,
  description,
  price: 1,
  category: null,
});

/** Fake services answering every read with `body` (or 201/200 for writes). */
async function services(body: (url: string) => unknown = () => [product(1)]): Promise<FakeService[]> {
  const respond: Parameters<typeof startFakeService>[0] = (request, response) =>
    sendJson(response, request.method === 'POST' ? 201 : 200, request.method === 'GET' ? body(request.url) : { id: 9 });
  const fakes = [await startFakeService(respond), await startFakeService(respond)];
  started.push(...fakes);
  return fakes;
}

function gateway(
  fakes: FakeService[],
  env: Record<string, string> = {},
  options: { cache?: Cache; responses?: ResponseCache } = {},
): FastifyInstance {
  const [products, inventory] = fakes;
  const config = {
    ...loadGatewayConfig({
      API_TOKENS: `${TOKEN},${OLD_TOKEN}`,
      PRODUCT_SERVICE_URL: products?.url ?? '',
      INVENTORY_SERVICE_URL: inventory?.url ?? '',
      ...env,
    }),
    responseCacheEnabled: true,
  };
  const app = buildApp({ config, cache: options.cache ?? createMemoryCache(), logger: silentLogger(), ...options });
  started.push(app);
  return app;
}

const WRITES = [
  { method: 'POST', url: '/api/products', payload: { name: 'X', price: 1 } },
  { method: 'PUT', url: '/api/products/1', payload: { name: 'X' } },
  { method: 'DELETE', url: '/api/products/1' },
  { method: 'POST', url: '/api/inventory', payload: { product_id: 1, quantity: 1 } },
  { method: 'PUT', url: '/api/inventory/1', payload: { quantity: 2 } },
  { method: 'DELETE', url: '/api/inventory/1' },
  { method: 'POST', url: '/api/inventory/1/adjust', payload: { delta: 1 } },
] as const;

describe('write access', () => {
  it('refuses anonymous and wrong-token writes with 401 and WWW-Authenticate, forwarding nothing', async () => {
    const fakes = await services();
    const app = gateway(fakes);
    for (const write of WRITES) {
      for (const authorization of [
        undefined,
        'Bearer wrong-token-0123456789abcdefghijklmnopqr',
        `Basic ${TOKEN}`,
        TOKEN,
      ]) {
        const response = await app.inject({ ...write, headers: authorization ? { authorization } : {} });
        const label = `${write.method} ${write.url} with ${authorization ?? 'no header'}`;
        expect(response.statusCode, label).toBe(401);
        expect(response.headers['www-authenticate'], label).toMatch(/^Bearer realm="berth"/);
        expect(response.json(), label).toEqual({ error: 'Unauthorized', message: expect.any(String) });
      }
    }
    expect(fakes.flatMap((fake) => fake.requests)).toEqual([]);
  });

  it('forwards writes carrying any of the configured tokens (rotation), and keeps reads public', async () => {
    const fakes = await services();
    const app = gateway(fakes);
    for (const token of [TOKEN, OLD_TOKEN]) {
      for (const write of WRITES) {
        const response = await app.inject({ ...write, headers: { authorization: `Bearer ${token}` } });
        expect(response.statusCode, `${write.method} ${write.url}`).toBeLessThan(300);
      }
    }
    expect(fakes.flatMap((fake) => fake.requests)).toHaveLength(WRITES.length * 2);
    expect(fakes.flatMap((fake) => fake.requests).every((request) => request.headers.authorization === undefined)).toBe(
      true,
    );
    for (const url of [
      '/api/products',
      '/api/products/1',
      '/api/products-full',
      '/api/inventory',
      '/api/inventory/1',
    ]) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
  });

  it('refuses a body over 1 MiB with 413 before forwarding it', async () => {
    const fakes = await services();
    const app = gateway(fakes);
    const response = await app.inject({
      method: 'POST',
      url: '/api/products',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Big', price: 1, description: 'x'.repeat(1024 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
    expect(fakes.flatMap((fake) => fake.requests)).toEqual([]);
  });
});

describe('CORS and security headers', () => {
  it('grants CORS to the listed origins only', async () => {
    const app = gateway(await services(), { CORS_ORIGINS: 'https://shop.example.com,http://localhost:5173' });
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/api/products',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
    const granted = await preflight('https://shop.example.com');
    expect(granted.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    expect(String(granted.headers['access-control-allow-methods']).replace(/\s/g, '')).toBe(
      'GET,POST,PUT,DELETE,OPTIONS',
    );
    expect(String(granted.headers['access-control-allow-headers']).replace(/\s/g, '')).toBe(
      'Accept,Authorization,Content-Type',
    );
    const foreign = await preflight('https://evil.example.net');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const read = await app.inject({
      method: 'GET',
      url: '/api/products',
      headers: { origin: 'https://evil.example.net' },
    });
    expect(read.statusCode).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    const listed = await app.inject({
      method: 'GET',
      url: '/api/products',
      headers: { origin: 'http://localhost:5173' },
    });
    expect(listed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });

  it('sends nosniff on every answer and a Content-Security-Policy with the page', async () => {
    const app = gateway(await services());
    for (const url of ['/', '/static/app.js', '/api/products', '/health', '/no-such-route']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
    }
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
  });
});

describe('rate limits', () => {
  it('limits writes more strictly than reads, per client, and never limits the health checks', async () => {
    const fakes = await services();
    const app = gateway(fakes, { RATE_LIMIT_READS: '20', RATE_LIMIT_WRITES: '3', TRUSTED_PROXIES: '1' });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const writes = [];
    for (let i = 0; i < 5; i += 1) {
      writes.push(
        await app.inject({
          method: 'PUT',
          url: '/api/products/1',
          payload: { name: 'X' },
          headers: { ...from('203.0.113.7'), authorization: `Bearer ${TOKEN}` },
        }),
      );
    }
    expect(writes.map((response) => response.statusCode)).toEqual([200, 200, 200, 429, 429]);
    expect(writes[3]?.json()).toMatchObject({ error: 'Too Many Requests' });
    expect(Number(writes[3]?.headers['retry-after'])).toBeGreaterThan(0);
    // Refused writes count too: a wrong token cannot be guessed faster than the limit.
    const guess = await app.inject({ method: 'DELETE', url: '/api/products/1', headers: from('203.0.113.7') });
    expect(guess.statusCode).toBe(429);
    // Reads from the same client have their own, larger budget; another client is unaffected.
    expect((await app.inject({ method: 'GET', url: '/api/products', headers: from('203.0.113.7') })).statusCode).toBe(
      200,
    );
    const otherWrite = await app.inject({
      method: 'PUT',
      url: '/api/products/1',
      payload: { name: 'Y' },
      headers: { ...from('198.51.100.2'), authorization: `Bearer ${TOKEN}` },
    });
    expect(otherWrite.statusCode).toBe(200);
    const reads = [];
    for (let i = 0; i < 25; i += 1)
      reads.push((await app.inject({ method: 'GET', url: '/api/products', headers: from('192.0.2.9') })).statusCode);
    expect(reads.filter((status) => status === 429)).toHaveLength(5);
    for (let i = 0; i < 30; i += 1) {
      expect((await app.inject({ method: 'GET', url: '/health', headers: from('192.0.2.9') })).statusCode).toBe(200);
    }
    // Only the three allowed writes of the first client and the other client's reached the service.
    expect(fakes[0]?.requests.filter((request) => request.method === 'PUT')).toHaveLength(4);
  });

  it('keeps limiting on its own counts when the shared counters cannot be reached', async () => {
    const broken: Cache = { ...createMemoryCache(), increment: () => Promise.reject(new Error('cache down')) };
    const app = gateway(await services(), { RATE_LIMIT_READS: '2' }, { cache: broken });
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await app.inject({ method: 'GET', url: '/api/products' })).statusCode);
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe('the response cache under a cache-busting flood', () => {
  it('ignores query parameters a route does not define: one downstream call and one entry for 300 requests', async () => {
    const fakes = await services();
    const cache = createMemoryCache();
    const responses = new ResponseCache(cache, silentLogger(), { ttlMs: 60_000, maxEntries: 1_000, maxBytes: 1 << 20 });
    const app = gateway(fakes, {}, { cache, responses });
    for (let bust = 0; bust < 300; bust += 1) {
      expect((await app.inject({ method: 'GET', url: `/api/products?bust=${bust}` })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: `/api/products/1?bust=${bust}&x=${bust}` })).statusCode).toBe(200);
    }
    const [products, inventory] = fakes;
    expect(products?.requests.map((request) => request.url)).toEqual(['/products', '/products/1']);
    expect(inventory?.requests.map((request) => request.url)).toEqual(['/inventory/product/1']);
    expect(responses.size).toBe(2);
  });

  it('stays within its byte limit while large products are requested under many defined parameters', async () => {
    // A 900 KiB description would be refused by the product service (2,000 characters at most);
    // a page of 1,000 products with full descriptions is what a defined parameter can return.
    const page = Array.from({ length: 1_000 }, (_, index) => product(index + 1, 'd'.repeat(2_000)));
    const fakes = await services(() => page);
    const cache = createMemoryCache();
    const maxBytes = 8 * 1024 * 1024;
    const responses = new ResponseCache(cache, silentLogger(), { ttlMs: 60_000, maxEntries: 10_000, maxBytes });
    const app = gateway(fakes, {}, { cache, responses });
    const bodyBytes = Buffer.byteLength(JSON.stringify(page));
    let largest = 0;
    for (let offset = 0; offset < 60; offset += 1) {
      const response = await app.inject({ method: 'GET', url: `/api/products?limit=1000&offset=${offset}` });
      expect(response.statusCode).toBe(200);
      largest = Math.max(largest, responses.byteSize);
      expect(responses.byteSize).toBeLessThanOrEqual(maxBytes);
    }
    // 60 distinct answers of ~2 MB each were served, yet at most four are held at a time.
    expect(bodyBytes).toBeGreaterThan(1_900_000);
    expect(largest).toBeLessThanOrEqual(maxBytes);
    expect(responses.size).toBe(Math.floor(maxBytes / bodyBytes));
  });
});
