import fastifyCors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import {
  CACHE_HIT_HEADERS,
  createResponseCache,
  createServiceApp,
  registerReadiness,
  type Cache,
  type Logger,
} from '@berth/service-kit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { productsWithStock, productWithStock } from './catalog-views.ts';
import { SERVICE_NAME, type GatewayConfig } from './config.ts';
import {
  DownstreamClient,
  DownstreamError,
  type DownstreamRequest,
  type DownstreamResponse,
} from './downstream-client.ts';
import {
  healthSchema,
  productsFullRouteSchema,
  productWithStockRouteSchema,
  proxyRouteSchema,
} from './gateway-schemas.ts';

export interface GatewayDeps {
  config: GatewayConfig;
  /** Shared with the product and inventory services (they bump its cache generation on writes). */
  cache: Cache;
  logger: Logger;
  /** Unused by the gateway; accepted so every service's buildApp takes the same dependencies. */
  db?: unknown;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const HEALTH_TIMEOUT_MS = 2_000;

function sendDownstream(reply: FastifyReply, response: DownstreamResponse): FastifyReply {
  if (response.statusCode === 204 || response.body === '') return reply.code(response.statusCode).send();
  return reply
    .code(response.statusCode)
    .header('content-type', response.contentType ?? JSON_TYPE)
    .send(response.body);
}

/** The path after /api, with its query string: the downstream path and the cache key. */
function downstreamPath(request: FastifyRequest): string {
  return request.url.slice('/api'.length);
}

/** The api-gateway: web page, combined catalog views, and a pass-through proxy to the two services. */
export function buildApp({ config, cache, logger }: GatewayDeps): FastifyInstance {
  const app = createServiceApp({
    logger,
    errorResponse: (error, request) => {
      if (!(error instanceof DownstreamError)) return undefined;
      request.log.warn({ statusCode: error.statusCode, reason: error.message }, 'downstream call failed');
      return { statusCode: error.statusCode, body: error.body };
    },
  });
  const products = new DownstreamClient(
    'product-service',
    'PRODUCT_SERVICE_URL',
    config.productServiceUrl,
    config.downstreamTimeoutMs,
    config.downstreamConnections,
  );
  const inventory = new DownstreamClient(
    'inventory-service',
    'INVENTORY_SERVICE_URL',
    config.inventoryServiceUrl,
    config.downstreamTimeoutMs,
    config.downstreamConnections,
  );
  const health = {
    product: new DownstreamClient(
      'product-service',
      'PRODUCT_SERVICE_URL',
      config.productServiceUrl,
      HEALTH_TIMEOUT_MS,
      4,
    ),
    inventory: new DownstreamClient(
      'inventory-service',
      'INVENTORY_SERVICE_URL',
      config.inventoryServiceUrl,
      HEALTH_TIMEOUT_MS,
      4,
    ),
  };
  const responses = createResponseCache(config, cache, logger);
  app.addHook('onClose', async () => {
    await Promise.all([products.close(), inventory.close(), health.product.close(), health.inventory.close()]);
  });

  app.register(fastifyCors, {
    origin: '*',
    methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Accept', 'Authorization', 'Content-Type'],
  });
  app.register(fastifyStatic, { root: config.publicDir, prefix: '/static/', index: false });
  app.get('/', { schema: { response: { 200: { description: 'index.html' } } } }, (_request, reply) =>
    reply.sendFile('index.html'),
  );

  async function isHealthy(client: DownstreamClient, requestId: string): Promise<'healthy' | 'unhealthy'> {
    try {
      const response = await client.request({ method: 'GET', path: '/health', requestId });
      return response.statusCode === 200 ? 'healthy' : 'unhealthy';
    } catch {
      return 'unhealthy';
    }
  }

  // Concurrent /health requests share the pair of downstream checks already in flight (answers are
  // never older than that check), so a burst of probes costs two calls, not two per probe.
  let healthInFlight: Promise<[string, string]> | undefined;
  function checkDownstreams(requestId: string): Promise<[string, string]> {
    healthInFlight ??= Promise.all([
      isHealthy(health.product, requestId),
      isHealthy(health.inventory, requestId),
    ]).finally(() => {
      healthInFlight = undefined;
    });
    return healthInFlight;
  }

  app.get('/health', { schema: healthSchema }, async (request) => {
    const [productService, inventoryService] = await checkDownstreams(request.id);
    const allHealthy = productService === 'healthy' && inventoryService === 'healthy';
    return {
      status: allHealthy ? 'healthy' : 'degraded',
      service: SERVICE_NAME,
      downstream_services: { product_service: productService, inventory_service: inventoryService },
    };
  });

  // The gateway can answer (with 502s) whatever its downstreams do, so nothing here is required.
  registerReadiness(app, {
    checks: {
      product_service: async () => {
        if ((await isHealthy(health.product, 'readiness')) !== 'healthy') throw new Error('product-service unhealthy');
      },
      inventory_service: async () => {
        if ((await isHealthy(health.inventory, 'readiness')) !== 'healthy')
          throw new Error('inventory-service unhealthy');
      },
      cache: () => cache.ping(),
    },
    required: [],
  });

  /**
   * Serves a GET from the response cache when it holds an entry for the current generation;
   * otherwise runs `fetch` and caches its answer when it is a 200. Cached bodies are kept as
   * encoded Buffers, so a hit neither serialises nor encodes anything.
   */
  async function cachedGet(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    fetch: () => Promise<{ statusCode: number; body: string; contentType?: string }>,
    options: { refresh?: boolean } = {},
  ): Promise<FastifyReply> {
    const generation = responses ? await responses.beginRead() : undefined;
    if (generation !== undefined && !options.refresh) {
      const hit = responses?.lookup(generation, key);
      if (hit !== undefined) return reply.code(200).headers(CACHE_HIT_HEADERS).send(hit);
    }
    const answer = await fetch();
    if (generation === undefined) reply.header('x-cache', 'bypass');
    else {
      reply.header('x-cache', 'miss');
      if (answer.statusCode === 200 && answer.body !== '') {
        const body = Buffer.from(answer.body);
        responses?.store(generation, key, body);
        return reply
          .code(200)
          .header('content-type', answer.contentType ?? JSON_TYPE)
          .send(body);
      }
    }
    return sendDownstream(reply, { statusCode: answer.statusCode, body: answer.body, contentType: answer.contentType });
  }

  function proxy(
    client: DownstreamClient,
    method: DownstreamRequest['method'],
    request: FastifyRequest,
  ): Promise<DownstreamResponse> {
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    return client.request({ method, path: downstreamPath(request), requestId: request.id, body });
  }

  const readRoute = (client: DownstreamClient) => async (request: FastifyRequest, reply: FastifyReply) =>
    cachedGet(request, reply, downstreamPath(request), () => proxy(client, 'GET', request));
  const writeRoute =
    (client: DownstreamClient, method: DownstreamRequest['method']) =>
    async (request: FastifyRequest, reply: FastifyReply) =>
      sendDownstream(reply, await proxy(client, method, request));

  app.get<{ Params: { id: string } }>(
    '/api/products/:id',
    { schema: productWithStockRouteSchema },
    async (request, reply) => {
      const id = encodeURIComponent(request.params.id);
      return cachedGet(request, reply, `product-with-stock:${id}`, async () => {
        const [product, item] = await Promise.all([
          products.request({ method: 'GET', path: `/products/${id}`, requestId: request.id }),
          inventory.request({ method: 'GET', path: `/inventory/product/${id}`, requestId: request.id }),
        ]);
        if (product.statusCode !== 200) return product;
        if (item.statusCode !== 200 && item.statusCode !== 404) return item;
        const merged = productWithStock(
          JSON.parse(product.body),
          item.statusCode === 200 ? JSON.parse(item.body) : undefined,
        );
        return { statusCode: 200, body: JSON.stringify(merged) };
      });
    },
  );

  app.get<{ Querystring: { force_refresh?: string } }>(
    '/api/products-full',
    { schema: productsFullRouteSchema },
    async (request, reply) => {
      const refresh = request.query.force_refresh === 'true' || request.query.force_refresh === '1';
      return cachedGet(
        request,
        reply,
        'products-full',
        async () => {
          const [productList, inventoryList] = await Promise.all([
            products.request({ method: 'GET', path: '/products', requestId: request.id }),
            inventory.request({ method: 'GET', path: '/inventory', requestId: request.id }),
          ]);
          if (productList.statusCode !== 200) return productList;
          if (inventoryList.statusCode !== 200) return inventoryList;
          return {
            statusCode: 200,
            body: JSON.stringify(productsWithStock(JSON.parse(productList.body), JSON.parse(inventoryList.body))),
          };
        },
        { refresh },
      );
    },
  );

  app.get(
    '/api/products',
    { schema: proxyRouteSchema({ query: { category: { type: 'string' } } }) },
    readRoute(products),
  );
  app.post('/api/products', { schema: proxyRouteSchema({ body: true }) }, writeRoute(products, 'POST'));
  app.put(
    '/api/products/:id',
    { schema: proxyRouteSchema({ params: ['id'], body: true }) },
    writeRoute(products, 'PUT'),
  );
  app.delete('/api/products/:id', { schema: proxyRouteSchema({ params: ['id'] }) }, writeRoute(products, 'DELETE'));

  app.get('/api/inventory', { schema: proxyRouteSchema({}) }, readRoute(inventory));
  app.get('/api/inventory/:id', { schema: proxyRouteSchema({ params: ['id'] }) }, readRoute(inventory));
  app.get(
    '/api/inventory/product/:product_id',
    { schema: proxyRouteSchema({ params: ['product_id'] }) },
    readRoute(inventory),
  );
  app.post('/api/inventory', { schema: proxyRouteSchema({ body: true }) }, writeRoute(inventory, 'POST'));
  app.put(
    '/api/inventory/:id',
    { schema: proxyRouteSchema({ params: ['id'], body: true }) },
    writeRoute(inventory, 'PUT'),
  );
  app.delete('/api/inventory/:id', { schema: proxyRouteSchema({ params: ['id'] }) }, writeRoute(inventory, 'DELETE'));
  app.post(
    '/api/inventory/:id/adjust',
    { schema: proxyRouteSchema({ params: ['id'], body: true }) },
    writeRoute(inventory, 'POST'),
  );

  return app;
}
