import { createResponseCache, createServiceApp, type Cache, type Logger, type ResponseCache } from '@berth/service-kit';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from './config.ts';
import { DownstreamClient, DownstreamError } from './downstream-client.ts';
import { crossOrigin } from './plugins/cross-origin.ts';
import { rateLimits } from './plugins/rate-limits.ts';
import { securityHeaders } from './plugins/security-headers.ts';
import { writeAccess } from './plugins/write-access.ts';
import { combinedViewRoutes } from './routes/combined-views.ts';
import { healthRoutes } from './routes/health.ts';
import { proxyRoutes } from './routes/proxy.ts';
import { webPageRoutes } from './routes/web-page.ts';

export interface GatewayDeps {
  config: GatewayConfig;
  /** Shared with the product and inventory services (they bump its cache generation on writes). */
  cache: Cache;
  logger: Logger;
  /** The gateway's cache of GET answers; made from the config's limits when not given. */
  responses?: ResponseCache;
}

const HEALTH_TIMEOUT_MS = 2_000;

/**
 * The api-gateway: web page, combined catalog views, and a pass-through proxy to the two services,
 * behind rate limits, write tokens, CORS for the listed origins and security headers.
 */
export function buildApp({ config, cache, logger, ...deps }: GatewayDeps): FastifyInstance {
  const app = createServiceApp({
    logger,
    trustedProxies: config.trustedProxies,
    errorResponse: (error, request) => {
      if (!(error instanceof DownstreamError)) return undefined;
      request.log.warn({ statusCode: error.statusCode, reason: error.message }, 'downstream call failed');
      return { statusCode: error.statusCode, body: error.body };
    },
  });
  const client = (name: string, variable: string, url: string, timeoutMs: number, connections: number) =>
    new DownstreamClient(name, variable, url, timeoutMs, connections);
  const products = client(
    'product-service',
    'PRODUCT_SERVICE_URL',
    config.productServiceUrl,
    config.downstreamTimeoutMs,
    config.downstreamConnections,
  );
  const inventory = client(
    'inventory-service',
    'INVENTORY_SERVICE_URL',
    config.inventoryServiceUrl,
    config.downstreamTimeoutMs,
    config.downstreamConnections,
  );
  const probes = {
    product: client('product-service', 'PRODUCT_SERVICE_URL', config.productServiceUrl, HEALTH_TIMEOUT_MS, 4),
    inventory: client('inventory-service', 'INVENTORY_SERVICE_URL', config.inventoryServiceUrl, HEALTH_TIMEOUT_MS, 4),
  };
  app.addHook('onClose', async () => {
    await Promise.all([products, inventory, probes.product, probes.inventory].map((pool) => pool.close()));
  });
  const responses = deps.responses ?? createResponseCache(config, cache, logger);

  // Order matters: rate limits count every request (refused writes too), then the token check,
  // both before a body is read or anything reaches a service.
  app.register(rateLimits, { cache, settings: config.rateLimit });
  app.register(writeAccess, { tokens: config.apiTokens });
  app.register(crossOrigin, { origins: config.corsOrigins });
  app.register(securityHeaders);

  app.register(webPageRoutes, { publicDir: config.publicDir });
  app.register(healthRoutes, { product: probes.product, inventory: probes.inventory, cache });
  app.register(combinedViewRoutes, { products, inventory, responses });
  app.register(proxyRoutes, { products, inventory, responses });
  return app;
}
