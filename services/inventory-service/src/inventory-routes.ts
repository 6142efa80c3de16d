import {
  HttpError,
  idFromPath,
  notFound,
  pageFromQuery,
  routeCacheKey,
  sendCachedRead,
  serializedAnswer,
  type CacheInvalidator,
  type ResponseCache,
} from '@berth/service-kit';
import type { FastifyPluginAsync } from 'fastify';
import {
  adjustInventorySchema,
  createInventorySchema,
  deleteInventorySchema,
  getInventoryByProductSchema,
  getInventorySchema,
  listInventorySchema,
  updateInventorySchema,
} from './inventory-schemas.ts';
import type { InventoryFields, InventoryStore } from './inventory-store.ts';

export interface InventoryRoutesOptions {
  store: InventoryStore;
  /** Bumps the cache generation after each write, before the answer. */
  invalidator: CacheInvalidator;
  /** This process's cache of GET answers (undefined: not cached). */
  responses: ResponseCache | undefined;
}

const INVENTORY_NOT_FOUND = 'Inventory not found';

/**
 * /inventory routes. Reads are answered from this process when no write has happened since they
 * were cached (product deletes, which cascade to inventory, bump the generation too), so a list
 * costs no query until the next write.
 */
export const inventoryRoutes: FastifyPluginAsync<InventoryRoutesOptions> = async (
  app,
  { store, invalidator, responses },
) => {
  app.get<{ Querystring: { limit?: string; offset?: string } }>(
    '/inventory',
    { schema: listInventorySchema },
    async (request, reply) =>
      sendCachedRead(responses, reply, routeCacheKey(request), async () =>
        serializedAnswer(reply, await store.list(pageFromQuery(request.query))),
      ),
  );

  app.get<{ Params: { id: string } }>('/inventory/:id', { schema: getInventorySchema }, async (request, reply) =>
    sendCachedRead(responses, reply, routeCacheKey(request), async () => {
      const id = idFromPath(request.params.id);
      const item = id === undefined ? undefined : await store.get(id);
      if (item === undefined) throw notFound(INVENTORY_NOT_FOUND);
      return serializedAnswer(reply, item);
    }),
  );

  app.get<{ Params: { product_id: string } }>(
    '/inventory/product/:product_id',
    { schema: getInventoryByProductSchema },
    async (request, reply) =>
      sendCachedRead(responses, reply, routeCacheKey(request), async () => {
        const productId = idFromPath(request.params.product_id);
        const item = productId === undefined ? undefined : await store.getByProduct(productId);
        if (item === undefined) throw notFound('Inventory not found for this product');
        return serializedAnswer(reply, item);
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
};
