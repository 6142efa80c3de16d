import { createDataServiceApp, type DataServiceDeps, type ValidationProblem } from '@berth/service-kit';
import type { FastifyInstance } from 'fastify';
import { SERVICE_NAME, type InventoryServiceConfig } from './config.ts';
import { inventoryRoutes } from './inventory-routes.ts';
import { InventoryStore } from './inventory-store.ts';

export type InventoryServiceDeps = DataServiceDeps<InventoryServiceConfig>;

// The old service answered a malformed path id with 400 "Invalid ID"; bodies get 422 with details.
function validationResponse(problems: ValidationProblem[]): { statusCode: number; body: Record<string, unknown> } {
  if (problems.some((problem) => problem.location.startsWith('params')))
    return { statusCode: 400, body: { detail: 'Invalid ID' } };
  return {
    statusCode: 422,
    body: {
      detail: `Validation failed: ${problems.map((p) => `${p.location} ${p.message}`).join('; ')}`,
      errors: problems,
    },
  };
}

/** The inventory-service HTTP API. The caller owns db and cache and closes them after app.close(). */
export function buildApp(deps: InventoryServiceDeps): FastifyInstance {
  const { app, invalidator, responses } = createDataServiceApp(SERVICE_NAME, deps, { validationResponse });
  app.register(inventoryRoutes, { store: new InventoryStore(deps.db), invalidator, responses });
  return app;
}
