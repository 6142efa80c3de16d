import { createDataServiceApp, type DataServiceDeps } from '@berth/service-kit';
import type { FastifyInstance } from 'fastify';
import { SERVICE_NAME, type ProductServiceConfig } from './config.ts';
import { productRoutes } from './product-routes.ts';
import { ProductStore } from './product-store.ts';

export type ProductServiceDeps = DataServiceDeps<ProductServiceConfig>;

/** The product-service HTTP API. The caller owns db and cache and closes them after app.close(). */
export function buildApp(deps: ProductServiceDeps): FastifyInstance {
  const { app, invalidator, responses } = createDataServiceApp(SERVICE_NAME, deps);
  app.register(productRoutes, { store: new ProductStore(deps.db), invalidator, responses });
  return app;
}
