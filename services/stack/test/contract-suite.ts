import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '../src/start-stack.ts';
import { call as httpCall, type JsonResponse } from './http.ts';

export interface SuiteBackend {
  /** Environment for startStack (DATABASE_URL/REDIS_URL or nothing for the embedded defaults). */
  env(): Promise<Record<string, string>>;
  cleanup(): Promise<void>;
}

const SEED = [
  { id: 1, name: 'Laptop Dell XPS 13', price: 1299.99, quantity: 50, warehouse: 'Warehouse A' },
  { id: 2, name: 'Mouse Logitech MX Master', price: 99.99, quantity: 150, warehouse: 'Warehouse A' },
  { id: 3, name: 'Teclado Mecánico', price: 149.99, quantity: 75, warehouse: 'Warehouse B' },
  { id: 4, name: 'Monitor 4K', price: 499.99, quantity: 30, warehouse: 'Warehouse A' },
  { id: 5, name: 'Webcam HD', price: 79.99, quantity: 100, warehouse: 'Warehouse B' },
];

/** Every route of the contract, success and error, plus the no-stale-read rule and concurrent adjusts. */
export function defineContractSuite(label: string, backend: SuiteBackend): void {
  describe(`contract on ${label}`, () => {
    let stack: RunningStack;
    let gw: string;
    let products: string;
    let inventory: string;

    /** Writes through the gateway carry the stack's write token, as the web page's do. */
    function call(
      base: string,
      method: string,
      path: string,
      options: Parameters<typeof httpCall>[3] = {},
    ): Promise<JsonResponse> {
      if (!base.startsWith(gw) || method === 'GET') return httpCall(base, method, path, options);
      return httpCall(base, method, path, {
        ...options,
        headers: { authorization: `Bearer ${stack.writeToken}`, ...options.headers },
      });
    }

    beforeAll(async () => {
      stack = await startStack({
        // The suite makes hundreds of writes from one address in seconds; the limits have their own tests.
        env: { ...(await backend.env()), RATE_LIMIT_READS: '1000000', RATE_LIMIT_WRITES: '1000000' },
        gatewayPort: 0,
        productPort: 0,
        inventoryPort: 0,
        logLevel: 'silent',
      });
      gw = stack.gatewayUrl;
      products = stack.productUrl;
      inventory = stack.inventoryUrl;
    });

    afterAll(async () => {
      await stack?.close();
      await backend.cleanup();
    });

    async function createProduct(name: string, category = 'Test', quantity?: number) {
      const created = await call(products, 'POST', '/products', {
        body: { name, price: 10.5, category, description: `${name} description` },
      });
      expect(created.status).toBe(201);
      const product = created.body as { id: number; name: string };
      if (quantity === undefined) return { product, item: undefined };
      const item = await call(inventory, 'POST', '/inventory', {
        body: { product_id: product.id, quantity, warehouse: 'Warehouse T' },
      });
      expect(item.status).toBe(201);
      return { product, item: item.body as { id: number; quantity: number } };
    }

    it('seeds products 1-5 with their stock, ordered by id', async () => {
      const list = await call(products, 'GET', '/products');
      expect(list.status).toBe(200);
      expect(
        list.body.map((p: { id: number; name: string; price: number; category: string }) => [
          p.id,
          p.name,
          p.price,
          p.category,
        ]),
      ).toEqual(SEED.map((s) => [s.id, s.name, s.price, 'Electronics']));
      expect(typeof list.body[0].description).toBe('string');
      const stock = await call(inventory, 'GET', '/inventory');
      expect(
        stock.body.map((i: { product_id: number; quantity: number; warehouse: string }) => [
          i.product_id,
          i.quantity,
          i.warehouse,
        ]),
      ).toEqual(SEED.map((s) => [s.id, s.quantity, s.warehouse]));
      expect(new Date(stock.body[0].last_updated).toISOString()).toBe(stock.body[0].last_updated);
    });

    it('answers /health and /ready on every service', async () => {
      expect((await call(products, 'GET', '/health')).body).toEqual({ status: 'healthy', service: 'product-service' });
      expect((await call(inventory, 'GET', '/health')).body).toEqual({
        status: 'healthy',
        service: 'inventory-service',
      });
      expect((await call(gw, 'GET', '/health')).body).toEqual({
        status: 'healthy',
        service: 'api-gateway',
        downstream_services: { product_service: 'healthy', inventory_service: 'healthy' },
      });
      for (const base of [products, inventory]) {
        const ready = await call(base, 'GET', '/ready');
        expect(ready.status).toBe(200);
        expect(ready.body).toEqual({ status: 'ready', checks: { database: 'up', cache: 'up' } });
      }
      expect((await call(gw, 'GET', '/ready')).body.checks).toEqual({
        product_service: 'up',
        inventory_service: 'up',
        cache: 'up',
      });
    });

    describe('product-service', () => {
      it('gets, creates, updates and deletes products', async () => {
        const one = await call(products, 'GET', '/products/2');
        expect(one.body).toEqual({
          id: 2,
          name: 'Mouse Logitech MX Master',
          description: expect.any(String),
          price: 99.99,
          category: 'Electronics',
        });
        const created = await call(products, 'POST', '/products', { body: { name: 'Desk', price: 250 } });
        expect(created.status).toBe(201);
        expect(created.body).toEqual({
          id: expect.any(Number),
          name: 'Desk',
          description: null,
          price: 250,
          category: null,
        });
        const id = created.body.id as number;
        const updated = await call(products, 'PUT', `/products/${id}`, {
          body: { price: 199.5, category: 'Furniture' },
        });
        expect(updated.status).toBe(200);
        expect(updated.body).toEqual({ id, name: 'Desk', description: null, price: 199.5, category: 'Furniture' });
        const cleared = await call(products, 'PUT', `/products/${id}`, { body: { category: null } });
        expect(cleared.body.category).toBeNull();
        expect((await call(products, 'DELETE', `/products/${id}`)).status).toBe(204);
        expect((await call(products, 'GET', `/products/${id}`)).status).toBe(404);
      });

      it('filters by category', async () => {
        const { product } = await createProduct('Category probe', 'Probe category');
        const filtered = await call(products, 'GET', `/products?category=${encodeURIComponent('Probe category')}`);
        expect(filtered.body.map((p: { id: number }) => p.id)).toEqual([product.id]);
        expect((await call(products, 'GET', '/products?category=Nothing%20here')).body).toEqual([]);
      });

      it('rejects bad input with the contract status codes', async () => {
        expect(await call(products, 'GET', '/products/999999')).toMatchObject({
          status: 404,
          body: { detail: 'Product not found' },
        });
        expect((await call(products, 'GET', '/products/abc')).status).toBe(422);
        for (const body of [
          { price: 5 },
          { name: '', price: 5 },
          { name: 'x'.repeat(256), price: 5 },
          { name: 'Zero', price: 0 },
          { name: 'Text price', price: '5' },
        ]) {
          const response = await call(products, 'POST', '/products', { body });
          expect(response.status, JSON.stringify(body)).toBe(422);
          expect(typeof response.body.detail).toBe('string');
        }
        expect(await call(products, 'PUT', '/products/1', { body: {} })).toMatchObject({
          status: 400,
          body: { detail: 'No fields to update' },
        });
        expect((await call(products, 'PUT', '/products/1', { body: { price: -3 } })).status).toBe(422);
        expect(await call(products, 'PUT', '/products/999999', { body: { name: 'Ghost' } })).toMatchObject({
          status: 404,
          body: { detail: 'Product not found' },
        });
        expect(await call(products, 'DELETE', '/products/999999')).toMatchObject({
          status: 404,
          body: { detail: 'Product not found' },
        });
        expect((await call(products, 'POST', '/products', { rawBody: '{not json' })).status).toBe(400);
      });

      it('deletes a product together with its inventory row', async () => {
        const { product, item } = await createProduct('Cascade probe', 'Test', 7);
        expect((await call(products, 'DELETE', `/products/${product.id}`)).status).toBe(204);
        expect((await call(inventory, 'GET', `/inventory/${item?.id}`)).status).toBe(404);
      });
    });

    describe('inventory-service', () => {
      it('gets items by id and by product', async () => {
        const item = await call(inventory, 'GET', '/inventory/3');
        expect(item.body).toEqual({
          id: 3,
          product_id: 3,
          quantity: expect.any(Number),
          warehouse: 'Warehouse B',
          last_updated: expect.any(String),
        });
        expect((await call(inventory, 'GET', '/inventory/product/3')).body.id).toBe(3);
        expect(await call(inventory, 'GET', '/inventory/999999')).toMatchObject({
          status: 404,
          body: { detail: 'Inventory not found' },
        });
        expect(await call(inventory, 'GET', '/inventory/abc')).toMatchObject({
          status: 400,
          body: { detail: 'Invalid ID' },
        });
        expect(await call(inventory, 'GET', '/inventory/product/999999')).toMatchObject({
          status: 404,
          body: { detail: 'Inventory not found for this product' },
        });
      });

      it('creates, updates and deletes items with the Berth error codes', async () => {
        const { product } = await createProduct('Stock probe');
        expect(
          await call(inventory, 'POST', '/inventory', { body: { product_id: 999999, quantity: 1, warehouse: 'W' } }),
        ).toMatchObject({
          status: 404,
          body: { detail: 'Product not found' },
        });
        expect(
          (
            await call(inventory, 'POST', '/inventory', {
              body: { product_id: product.id, quantity: -1, warehouse: 'W' },
            })
          ).status,
        ).toBe(422);
        expect(
          (
            await call(inventory, 'POST', '/inventory', {
              body: { product_id: product.id, quantity: 1.5, warehouse: 'W' },
            })
          ).status,
        ).toBe(422);
        const created = await call(inventory, 'POST', '/inventory', {
          body: { product_id: product.id, quantity: 12, warehouse: 'W' },
        });
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({ product_id: product.id, quantity: 12, warehouse: 'W' });
        expect(
          (
            await call(inventory, 'POST', '/inventory', {
              body: { product_id: product.id, quantity: 1, warehouse: 'W' },
            })
          ).status,
        ).toBe(409);
        const id = created.body.id as number;
        const updated = await call(inventory, 'PUT', `/inventory/${id}`, { body: { quantity: 40 } });
        expect(updated.body).toMatchObject({ id, quantity: 40, warehouse: 'W' });
        expect(
          (await call(inventory, 'PUT', `/inventory/${id}`, { body: { warehouse: 'Warehouse Z' } })).body,
        ).toMatchObject({ quantity: 40, warehouse: 'Warehouse Z' });
        expect((await call(inventory, 'PUT', `/inventory/${id}`, { body: { quantity: -1 } })).status).toBe(422);
        expect(await call(inventory, 'PUT', `/inventory/${id}`, { body: {} })).toMatchObject({
          status: 400,
          body: { detail: 'No fields to update' },
        });
        expect((await call(inventory, 'PUT', '/inventory/999999', { body: { quantity: 1 } })).status).toBe(404);
        expect((await call(inventory, 'DELETE', `/inventory/${id}`)).status).toBe(204);
        expect(await call(inventory, 'DELETE', `/inventory/${id}`)).toMatchObject({
          status: 404,
          body: { detail: 'Inventory not found' },
        });
        expect((await call(inventory, 'DELETE', '/inventory/abc')).status).toBe(400);
      });

      it('adjusts stock and refuses to go negative', async () => {
        const { item } = await createProduct('Adjust probe', 'Test', 10);
        const id = item?.id;
        expect((await call(inventory, 'POST', `/inventory/${id}/adjust`, { body: { delta: 5 } })).body.quantity).toBe(
          15,
        );
        expect((await call(inventory, 'POST', `/inventory/${id}/adjust`, { body: { delta: -15 } })).body.quantity).toBe(
          0,
        );
        expect(await call(inventory, 'POST', `/inventory/${id}/adjust`, { body: { delta: -1 } })).toMatchObject({
          status: 409,
          body: { detail: 'Insufficient stock', available: 0 },
        });
        expect((await call(inventory, 'POST', `/inventory/${id}/adjust`, { body: { delta: 0.5 } })).status).toBe(422);
        expect((await call(inventory, 'POST', `/inventory/${id}/adjust`, { body: {} })).status).toBe(422);
        expect((await call(inventory, 'POST', '/inventory/999999/adjust', { body: { delta: 1 } })).status).toBe(404);
      });

      it('applies 200 concurrent adjustments exactly, never going negative', async () => {
        const { item } = await createProduct('Concurrency probe', 'Test', 150);
        const results = await Promise.all(
          Array.from({ length: 200 }, () =>
            call(gw, 'POST', `/api/inventory/${item?.id}/adjust`, { body: { delta: -1 } }),
          ),
        );
        const statuses = results.map((r) => r.status);
        expect(statuses.filter((s) => s === 200)).toHaveLength(150);
        expect(statuses.filter((s) => s === 409)).toHaveLength(50);
        const quantities = results.filter((r) => r.status === 200).map((r) => r.body.quantity as number);
        expect(Math.min(...quantities)).toBe(0);
        expect(new Set(quantities).size).toBe(150);
        expect((await call(inventory, 'GET', `/inventory/${item?.id}`)).body.quantity).toBe(0);
      });
    });

    describe('api-gateway', () => {
      it('adds inventory to a product, omits it when there is none, passes 404 through', async () => {
        const withStock = await call(gw, 'GET', '/api/products/4');
        expect(withStock.body).toMatchObject({
          id: 4,
          name: 'Monitor 4K',
          price: 499.99,
          inventory: { quantity: expect.any(Number), warehouse: 'Warehouse A' },
        });
        const { product } = await createProduct('No stock probe');
        const noStock = await call(gw, 'GET', `/api/products/${product.id}`);
        expect(noStock.status).toBe(200);
        expect(noStock.body).not.toHaveProperty('inventory');
        expect(await call(gw, 'GET', '/api/products/999999')).toMatchObject({
          status: 404,
          body: { detail: 'Product not found' },
        });
        expect((await call(gw, 'GET', '/api/products/abc')).status).toBe(422);
      });

      it('lists every product with its stock in products-full, with and without force_refresh', async () => {
        for (const path of ['/api/products-full', '/api/products-full?force_refresh=true']) {
          const full = await call(gw, 'GET', path);
          expect(full.status).toBe(200);
          const all = (await call(products, 'GET', '/products')).body as Array<{ id: number }>;
          expect(full.body.map((p: { id: number }) => p.id)).toEqual(all.map((p) => p.id));
          expect(full.body[0]).toMatchObject({
            id: 1,
            name: 'Laptop Dell XPS 13',
            inventory: { warehouse: 'Warehouse A' },
          });
        }
      });

      it('proxies method, query, body, status and JSON body to the services', async () => {
        const created = await call(gw, 'POST', '/api/products', {
          body: { name: 'Proxied', price: 3, category: 'Proxy category' },
        });
        expect(created.status).toBe(201);
        const id = created.body.id as number;
        expect(
          (await call(gw, 'GET', '/api/products?category=Proxy%20category')).body.map((p: { id: number }) => p.id),
        ).toEqual([id]);
        expect((await call(gw, 'PUT', `/api/products/${id}`, { body: { name: 'Proxied 2' } })).body.name).toBe(
          'Proxied 2',
        );
        expect(await call(gw, 'PUT', `/api/products/${id}`, { body: {} })).toMatchObject({
          status: 400,
          body: { detail: 'No fields to update' },
        });
        expect((await call(gw, 'POST', '/api/products', { body: { name: 'Bad', price: 0 } })).status).toBe(422);
        const item = await call(gw, 'POST', '/api/inventory', {
          body: { product_id: id, quantity: 3, warehouse: 'P' },
        });
        expect(item.status).toBe(201);
        expect((await call(gw, 'GET', `/api/inventory/${item.body.id}`)).body.quantity).toBe(3);
        expect((await call(gw, 'GET', `/api/inventory/product/${id}`)).body.id).toBe(item.body.id);
        expect((await call(gw, 'GET', '/api/inventory')).body.some((i: { id: number }) => i.id === item.body.id)).toBe(
          true,
        );
        expect((await call(gw, 'PUT', `/api/inventory/${item.body.id}`, { body: { quantity: 9 } })).body.quantity).toBe(
          9,
        );
        expect(await call(gw, 'POST', `/api/inventory/${item.body.id}/adjust`, { body: { delta: -10 } })).toMatchObject(
          {
            status: 409,
            body: { detail: 'Insufficient stock', available: 9 },
          },
        );
        expect(await call(gw, 'GET', '/api/inventory/abc')).toMatchObject({
          status: 400,
          body: { detail: 'Invalid ID' },
        });
        expect((await call(gw, 'DELETE', `/api/inventory/${item.body.id}`)).status).toBe(204);
        expect((await call(gw, 'DELETE', `/api/products/${id}`)).status).toBe(204);
        expect((await call(gw, 'DELETE', `/api/products/${id}`)).status).toBe(404);
      });

      it('serves the web page and static files, and grants no CORS to an origin not listed', async () => {
        const page = await call(gw, 'GET', '/');
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toContain('text/html');
        expect(page.text.toLowerCase()).toContain('<html');
        const preflight = await fetch(`${gw}/api/products`, {
          method: 'OPTIONS',
          headers: {
            origin: 'https://example.test',
            'access-control-request-method': 'PUT',
            'access-control-request-headers': 'content-type',
          },
        });
        expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
        expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect((await call(gw, 'GET', '/static/does-not-exist.js')).status).toBe(404);
      });

      it('refuses anonymous and wrong-token writes and changes nothing', async () => {
        const before = (await call(gw, 'GET', '/api/products/3')).body;
        const stockBefore = (await call(gw, 'GET', '/api/inventory/3')).body.quantity;
        const attempts: Array<Record<string, string>> = [
          {},
          { authorization: 'Bearer not-the-token-0123456789abcdefghijklmn' },
        ];
        for (const headers of attempts) {
          const refused = [
            await httpCall(gw, 'PUT', '/api/products/3', { body: { name: 'Defaced' }, headers }),
            await httpCall(gw, 'DELETE', '/api/products/3', { headers }),
            await httpCall(gw, 'POST', '/api/products', { body: { name: 'Spam', price: 1 }, headers }),
            await httpCall(gw, 'POST', '/api/inventory/3/adjust', { body: { delta: -75 }, headers }),
            await httpCall(gw, 'DELETE', '/api/inventory/3', { headers }),
          ];
          for (const attempt of refused) {
            expect(attempt.status).toBe(401);
            expect(attempt.headers.get('www-authenticate')).toMatch(/^Bearer/);
            expect(attempt.body).toEqual({ error: 'Unauthorized', message: expect.any(String) });
          }
        }
        expect((await call(gw, 'GET', '/api/products/3')).body).toEqual(before);
        expect((await call(gw, 'GET', '/api/inventory/3')).body.quantity).toBe(stockBefore);
        expect((await call(products, 'GET', '/products')).body.some((p: { name: string }) => p.name === 'Spam')).toBe(
          false,
        );
      });

      it('enforces the contract limits: description length, list pages, unknown query parameters', async () => {
        const long = await call(gw, 'POST', '/api/products', {
          body: { name: 'Long', price: 1, description: 'd'.repeat(2_001) },
        });
        expect(long.status).toBe(422);
        expect(
          (
            await call(gw, 'POST', '/api/products', {
              body: { name: 'Fits', price: 1, description: 'd'.repeat(2_000) },
            })
          ).status,
        ).toBe(201);
        const all = (await call(gw, 'GET', '/api/products')).body as Array<{ id: number }>;
        const page = await call(gw, 'GET', '/api/products?limit=2&offset=1');
        expect(page.body.map((p: { id: number }) => p.id)).toEqual(all.slice(1, 3).map((p) => p.id));
        expect((await call(gw, 'GET', '/api/inventory?limit=1')).body).toHaveLength(1);
        expect((await call(gw, 'GET', '/api/products-full?limit=2')).body.map((p: { id: number }) => p.id)).toEqual(
          all.slice(0, 2).map((p) => p.id),
        );
        for (const bad of ['limit=0', 'limit=1001', 'limit=ten', 'offset=-1']) {
          expect((await call(gw, 'GET', `/api/products?${bad}`)).status, bad).toBe(422);
        }
        const busted = await call(gw, 'GET', '/api/products?bust=42');
        expect(busted.body).toEqual((await call(gw, 'GET', '/api/products')).body);
        expect(busted.headers.get('x-cache')).not.toBe('bypass');
      });

      it('reuses the caller request id and makes one otherwise', async () => {
        const given = await call(gw, 'GET', '/api/products/1', { headers: { 'x-request-id': 'contract-trace-1' } });
        expect(given.headers.get('x-request-id')).toBe('contract-trace-1');
        const made = await call(gw, 'GET', '/api/products/1');
        expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      });
    });

    // PostgreSQL cannot store U+0000 in text (SQLSTATE 22021): before it was refused up front, one in a query
    // string or body became a 500, and a trickle of those kept the 5xx deployment alarms firing.
    describe('a NUL character (U+0000) in any accepted string is a 422, never a 5xx', () => {
      const NUL = '\u0000';

      function expectRefusedNul(response: JsonResponse, what: string): void {
        expect(response.status, `${what}: ${response.text}`).toBe(422);
        expect(response.body.detail, what).toContain('U+0000');
      }

      it('directly on product-service, in the query and in every body field', async () => {
        expectRefusedNul(await call(products, 'GET', '/products?category=%00'), 'category=%00');
        expectRefusedNul(await call(products, 'GET', '/products?category=Electr%00nics'), 'category with a NUL inside');
        for (const body of [
          { name: `Desk${NUL}`, price: 5 },
          { name: 'Desk', price: 5, description: NUL },
          { name: 'Desk', price: 5, category: `Furniture${NUL}` },
        ]) {
          expectRefusedNul(await call(products, 'POST', '/products', { body }), `POST ${JSON.stringify(body)}`);
        }
        for (const body of [{ name: NUL }, { description: `a${NUL}b` }, { category: NUL }]) {
          expectRefusedNul(await call(products, 'PUT', '/products/1', { body }), `PUT ${JSON.stringify(body)}`);
        }
        expect((await call(products, 'GET', '/products/1')).body.name).toBe('Laptop Dell XPS 13');
      });

      it('directly on inventory-service, in every body field', async () => {
        const { product } = await createProduct('NUL stock probe');
        expectRefusedNul(
          await call(inventory, 'POST', '/inventory', {
            body: { product_id: product.id, quantity: 1, warehouse: `W${NUL}` },
          }),
          'POST warehouse',
        );
        expect((await call(inventory, 'GET', `/inventory/product/${product.id}`)).status).toBe(404);
        expectRefusedNul(await call(inventory, 'PUT', '/inventory/1', { body: { warehouse: NUL } }), 'PUT warehouse');
        expect((await call(inventory, 'GET', '/inventory/1')).body.warehouse).toBe('Warehouse A');
      });

      it('through the gateway, in queries, paths and bodies', async () => {
        expectRefusedNul(await call(gw, 'GET', '/api/products?category=%00'), 'GET /api/products?category=%00');
        expectRefusedNul(await call(gw, 'GET', '/api/products/%00'), 'GET /api/products/%00');
        expectRefusedNul(await call(gw, 'GET', '/api/inventory/product/%00'), 'GET /api/inventory/product/%00');
        expectRefusedNul(
          await call(gw, 'POST', '/api/products', { body: { name: `Desk${NUL}`, price: 5 } }),
          'POST /api/products',
        );
        expectRefusedNul(await call(gw, 'PUT', '/api/products/2', { body: { category: NUL } }), 'PUT /api/products/2');
        expectRefusedNul(
          await call(gw, 'PUT', '/api/inventory/2', { body: { warehouse: NUL } }),
          'PUT /api/inventory/2',
        );
        expect((await call(gw, 'GET', '/api/products/2')).body).toMatchObject({
          category: 'Electronics',
          inventory: { warehouse: 'Warehouse A' },
        });
      });
    });

    describe('no read after a write returns older data', () => {
      /** Reads every gateway route that could show product `id` / item `itemId`, twice, so they are cached. */
      async function readAll(id: number, itemId: number | undefined, category: string) {
        const paths = [
          '/api/products',
          `/api/products?category=${encodeURIComponent(category)}`,
          `/api/products/${id}`,
          '/api/products-full',
          '/api/inventory',
          ...(itemId === undefined ? [] : [`/api/inventory/${itemId}`]),
          `/api/inventory/product/${id}`,
        ];
        const first = await Promise.all(paths.map((path) => call(gw, 'GET', path)));
        const second = await Promise.all(paths.map((path) => call(gw, 'GET', path)));
        return { paths, first, second };
      }

      async function warm(id: number, itemId: number | undefined, category: string) {
        const { second } = await readAll(id, itemId, category);
        // Proves the reads are served from the cache, so the checks after the write can fail.
        expect(second.filter((r) => r.status === 200).every((r) => r.headers.get('x-cache') === 'hit')).toBe(true);
      }

      const via = (target: 'gateway' | 'service') =>
        target === 'gateway'
          ? { p: () => `${gw}/api`, i: () => `${gw}/api` }
          : { p: () => products, i: () => inventory };

      it("serves the services' own reads from their caches, and fresh ones after a write to the other service", async () => {
        const { product, item } = await createProduct('Cached at the service', 'Service cache', 9);
        const reads: Array<[string, string]> = [
          [products, `/products/${product.id}`],
          [products, '/products?category=Service%20cache'],
          [inventory, '/inventory'],
          [inventory, `/inventory/${item?.id}`],
          [inventory, `/inventory/product/${product.id}`],
        ];
        for (const [service, path] of reads) {
          expect((await call(service, 'GET', path)).status, path).toBe(200);
          expect((await call(service, 'GET', path)).headers.get('x-cache'), path).toBe('hit');
        }
        // The product-service's delete removes the inventory row too (ON DELETE CASCADE): the
        // inventory-service's cached answers must not outlive it.
        expect((await call(products, 'DELETE', `/products/${product.id}`)).status).toBe(204);
        expect((await call(inventory, 'GET', `/inventory/product/${product.id}`)).status).toBe(404);
        expect((await call(inventory, 'GET', `/inventory/${item?.id}`)).status).toBe(404);
        expect((await call(inventory, 'GET', '/inventory')).body.some((i: { id: number }) => i.id === item?.id)).toBe(
          false,
        );
        expect((await call(products, 'GET', `/products/${product.id}`)).status).toBe(404);
        expect((await call(products, 'GET', '/products?category=Service%20cache')).body).toEqual([]);
      });

      for (const target of ['gateway', 'service'] as const) {
        it(`product update through the ${target}`, async () => {
          const { product, item } = await createProduct(`Stale ${target} update`, `Stale ${target}`, 5);
          await warm(product.id, item?.id, `Stale ${target}`);
          expect(
            (
              await call(via(target).p(), 'PUT', `/products/${product.id}`, {
                body: { name: 'Renamed', category: `Moved ${target}` },
              })
            ).status,
          ).toBe(200);
          const full = await call(gw, 'GET', '/api/products-full');
          expect(full.body.find((p: { id: number }) => p.id === product.id).name).toBe('Renamed');
          expect((await call(gw, 'GET', `/api/products/${product.id}`)).body.name).toBe('Renamed');
          expect(
            (await call(gw, 'GET', '/api/products')).body.find((p: { id: number }) => p.id === product.id).name,
          ).toBe('Renamed');
          expect(
            (await call(gw, 'GET', `/api/products?category=${encodeURIComponent(`Stale ${target}`)}`)).body,
          ).toEqual([]);
        });

        it(`product create through the ${target}`, async () => {
          const category = `Create ${target}`;
          const { product: existing } = await createProduct(`Existing ${target}`, category);
          await warm(existing.id, undefined, category);
          const created = await call(via(target).p(), 'POST', '/products', {
            body: { name: `New ${target}`, price: 1, category },
          });
          expect(created.status).toBe(201);
          expect(
            (await call(gw, 'GET', `/api/products?category=${encodeURIComponent(category)}`)).body.map(
              (p: { id: number }) => p.id,
            ),
          ).toEqual([existing.id, created.body.id]);
          expect(
            (await call(gw, 'GET', '/api/products')).body.some((p: { id: number }) => p.id === created.body.id),
          ).toBe(true);
          expect(
            (await call(gw, 'GET', '/api/products-full')).body.some((p: { id: number }) => p.id === created.body.id),
          ).toBe(true);
        });

        it(`product delete through the ${target}`, async () => {
          const category = `Delete ${target}`;
          const { product, item } = await createProduct(`Doomed ${target}`, category, 3);
          await warm(product.id, item?.id, category);
          expect((await call(via(target).p(), 'DELETE', `/products/${product.id}`)).status).toBe(204);
          expect((await call(gw, 'GET', `/api/products/${product.id}`)).status).toBe(404);
          expect((await call(gw, 'GET', `/api/products?category=${encodeURIComponent(category)}`)).body).toEqual([]);
          expect((await call(gw, 'GET', '/api/products')).body.some((p: { id: number }) => p.id === product.id)).toBe(
            false,
          );
          expect(
            (await call(gw, 'GET', '/api/products-full')).body.some((p: { id: number }) => p.id === product.id),
          ).toBe(false);
          expect((await call(gw, 'GET', `/api/inventory/${item?.id}`)).status).toBe(404);
          expect((await call(gw, 'GET', `/api/inventory/product/${product.id}`)).status).toBe(404);
          expect((await call(gw, 'GET', '/api/inventory')).body.some((i: { id: number }) => i.id === item?.id)).toBe(
            false,
          );
        });

        for (const write of ['update', 'adjust', 'delete', 'create'] as const) {
          it(`inventory ${write} through the ${target}`, async () => {
            const category = `Inventory ${write} ${target}`;
            const { product, item } = await createProduct(
              `Stock ${write} ${target}`,
              category,
              write === 'create' ? undefined : 20,
            );
            await warm(product.id, item?.id, category);
            let expected: number | undefined;
            let itemId = item?.id;
            if (write === 'update') {
              expect(
                (await call(via(target).i(), 'PUT', `/inventory/${itemId}`, { body: { quantity: 7 } })).status,
              ).toBe(200);
              expected = 7;
            } else if (write === 'adjust') {
              expect(
                (await call(via(target).i(), 'POST', `/inventory/${itemId}/adjust`, { body: { delta: -4 } })).status,
              ).toBe(200);
              expected = 16;
            } else if (write === 'delete') {
              expect((await call(via(target).i(), 'DELETE', `/inventory/${itemId}`)).status).toBe(204);
            } else {
              const created = await call(via(target).i(), 'POST', '/inventory', {
                body: { product_id: product.id, quantity: 33, warehouse: 'New' },
              });
              expect(created.status).toBe(201);
              itemId = created.body.id as number;
              expected = 33;
            }
            const single = await call(gw, 'GET', `/api/products/${product.id}`);
            const full = (await call(gw, 'GET', '/api/products-full')).body.find(
              (p: { id: number }) => p.id === product.id,
            );
            const list = (await call(gw, 'GET', '/api/inventory')).body.find((i: { id: number }) => i.id === itemId);
            const byProduct = await call(gw, 'GET', `/api/inventory/product/${product.id}`);
            const byId = await call(gw, 'GET', `/api/inventory/${itemId}`);
            if (expected === undefined) {
              expect(single.body).not.toHaveProperty('inventory');
              expect(full).not.toHaveProperty('inventory');
              expect(list).toBeUndefined();
              expect(byProduct.status).toBe(404);
              expect(byId.status).toBe(404);
            } else {
              expect(single.body.inventory.quantity).toBe(expected);
              expect(full.inventory.quantity).toBe(expected);
              expect(list.quantity).toBe(expected);
              expect(byProduct.body.quantity).toBe(expected);
              expect(byId.body.quantity).toBe(expected);
            }
          });
        }
      }
    });
  });
}
