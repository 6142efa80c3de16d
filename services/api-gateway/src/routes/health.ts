import { registerReadiness, type Cache } from '@berth/service-kit';
import type { FastifyPluginAsync } from 'fastify';
import { SERVICE_NAME } from '../config.ts';
import type { DownstreamClient } from '../downstream-client.ts';
import { healthSchema } from '../gateway-schemas.ts';

export interface HealthRoutesOptions {
  /** Clients with short timeouts, kept apart from the request path's pools. */
  product: DownstreamClient;
  inventory: DownstreamClient;
  cache: Cache;
}

type State = 'healthy' | 'unhealthy';

async function answers(client: DownstreamClient, path: '/health' | '/ready', requestId: string): Promise<State> {
  try {
    const response = await client.request({ method: 'GET', path, requestId });
    return response.statusCode === 200 ? 'healthy' : 'unhealthy';
  } catch {
    return 'unhealthy';
  }
}

/**
 * GET /health: liveness plus the downstream services' liveness (200 even when degraded, so the
 * gateway is never replaced for a downstream fault). GET /ready: 503 while either service is not
 * ready — its database unreachable or refusing it — so traffic is held back until they can answer.
 */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { product, inventory, cache }) => {
  // Concurrent /health requests share the pair of downstream checks already in flight (answers are
  // never older than that check), so a burst of probes costs two calls, not two per probe.
  let healthInFlight: Promise<[State, State]> | undefined;
  function checkDownstreams(requestId: string): Promise<[State, State]> {
    healthInFlight ??= Promise.all([
      answers(product, '/health', requestId),
      answers(inventory, '/health', requestId),
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

  const ready = (client: DownstreamClient, name: string) => async () => {
    if ((await answers(client, '/ready', 'readiness')) !== 'healthy') throw new Error(`${name} is not ready`);
  };
  registerReadiness(app, {
    checks: {
      product_service: ready(product, 'product-service'),
      inventory_service: ready(inventory, 'inventory-service'),
      cache: () => cache.ping(),
    },
    // A cache outage slows reads down but fails none, so it does not make the gateway unready.
    required: ['product_service', 'inventory_service'],
  });
};
