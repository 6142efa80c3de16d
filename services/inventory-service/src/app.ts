import {
  createDataServiceApp,
  HttpError,
  idFromPath,
  notFound,
  replyCached,
  type DataServiceDeps,
  type ValidationProblem,
} from '@berth/service-kit';
import type { FastifyInstance } from 'fastify';
import { SERVICE_NAME, type InventoryServiceConfig } from './config.ts';
import {
  adjustInventorySchema,
  createInventorySchema,
  deleteInventorySchema,
  getInventoryByProductSchema,
  getInventorySchema,
  listInventorySchema,
  updateInventorySchema,
} from './inventory-schemas.ts';
import { InventoryStore, type InventoryFields } from './inventory-store.ts';

export type InventoryServiceDeps = DataServiceDeps<InventoryServiceConfig>;

const INVENTORY_NOT_FOUND = 'Inventory not found';

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
  // Reads are answered from this process when no write has happened since they were cached (product
  // deletes, which cascade to inventory, bump the generation too), so a list costs no query until the next write.
  const { app, invalidator, responses } = createDataServiceApp(SERVICE_NAME, deps, { validationResponse });
  const store = new InventoryStore(deps.db);

  app.get('/inventory', { schema: listInventorySchema }, async (request, reply) =>
    replyCached(responses, request, reply, () => store.list()),
  );

  app.get<{ Params: { id: string } }>('/inventory/:id', { schema: getInventorySchema }, async (request, reply) =>
    replyCached(responses, request, reply, async () => {
      const id = idFromPath(request.params.id);
      const item = id === undefined ? undefined : await store.get(id);
      if (item === undefined) throw notFound(INVENTORY_NOT_FOUND);
      return item;
    }),
  );

  app.get<{ Params: { product_id: string } }>(
    '/inventory/product/:product_id',
    { schema: getInventoryByProductSchema },
    async (request, reply) =>
      replyCached(responses, request, reply, async () => {
        const productId = idFromPath(request.params.product_id);
        const item = productId === undefined ? undefined : await store.getByProduct(productId);
        if (item === undefined) throw notFound('Inventory not found for this product');
        return item;
      }),
  );

  app.post<{ Body: { product_id: number; quantity: number; warehouse?: string | null } }>(
    '/inventory',
    { schema: createInventorySchema },
    async (request, reply) => {
      const { product_id, quantity, warehouse } = request.body;
      const item = await store.create(product_id, quantity, warehouse ?? null);
      await invalidator.afterWrite();
      return reply.code(201).send(item);
    },
  );

  app.put<{ Params: { id: string }; Body: InventoryFields }>(
    '/inventory/:id',
    { schema: updateInventorySchema },
    async (request) => {
      const fields: InventoryFields = { quantity: request.body.quantity, warehouse: request.body.warehouse };
      if (fields.quantity === undefined && fields.warehouse === undefined)
        throw new HttpError(400, { detail: 'No fields to update' });
      const id = idFromPath(request.params.id);
      const item = id === undefined ? undefined : await store.update(id, fields);
      if (item === undefined) throw notFound(INVENTORY_NOT_FOUND);
      await invalidator.afterWrite();
      return item;
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/inventory/:id',
    { schema: deleteInventorySchema },
    async (request, reply) => {
      const id = idFromPath(request.params.id);
      if (id === undefined || !(await store.delete(id))) throw notFound(INVENTORY_NOT_FOUND);
      await invalidator.afterWrite();
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { id: string }; Body: { delta: number } }>(
    '/inventory/:id/adjust',
    { schema: adjustInventorySchema },
    async (request) => {
      const id = idFromPath(request.params.id);
      const outcome = id === undefined ? ({ kind: 'not-found' } as const) : await store.adjust(id, request.body.delta);
      if (outcome.kind === 'not-found') throw notFound(INVENTORY_NOT_FOUND);
      if (outcome.kind === 'insufficient')
        throw new HttpError(409, { detail: 'Insufficient stock', available: outcome.available });
      await invalidator.afterWrite();
      return outcome.item;
    },
  );

  return app;
}
