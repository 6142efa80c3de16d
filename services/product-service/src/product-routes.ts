import {
  createProductSchema,
  deleteProductSchema,
  getProductSchema,
  listProductsSchema,
  updateProductSchema,
} from '@berth/catalog';
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
import type { ProductFields, ProductStore } from './product-store.ts';

export interface ProductRoutesOptions {
  store: ProductStore;
  /** Bumps the cache generation after each write, before the answer. */
  invalidator: CacheInvalidator;
  /** This process's cache of GET answers (undefined: not cached). */
  responses: ResponseCache | undefined;
}

const PRODUCT_NOT_FOUND = 'Product not found';

/**
 * /products routes. Reads are answered from this process when no write has happened since they
 * were cached, so a list costs no query until the next write.
 */
export const productRoutes: FastifyPluginAsync<ProductRoutesOptions> = async (
  app,
  { store, invalidator, responses },
) => {
  app.get<{ Querystring: { category?: string; limit?: string; offset?: string } }>(
    '/products',
    { schema: listProductsSchema },
    async (request, reply) =>
      sendCachedRead(responses, reply, routeCacheKey(request), async () =>
        serializedAnswer(reply, await store.list(request.query.category, pageFromQuery(request.query))),
      ),
  );

  app.get<{ Params: { id: string } }>('/products/:id', { schema: getProductSchema }, async (request, reply) =>
    sendCachedRead(responses, reply, routeCacheKey(request), async () => {
      const id = idFromPath(request.params.id);
      const product = id === undefined ? undefined : await store.get(id);
      if (product === undefined) throw notFound(PRODUCT_NOT_FOUND);
      return serializedAnswer(reply, product);
    }),
  );

  app.post<{ Body: Required<Pick<ProductFields, 'name' | 'price'>> & ProductFields }>(
    '/products',
    { schema: createProductSchema },
    async (request, reply) => {
      const product = await store.create(request.body);
      await invalidator.afterWrite();
      return reply.code(201).send(product);
    },
  );

  app.put<{ Params: { id: string }; Body: ProductFields }>(
    '/products/:id',
    { schema: updateProductSchema },
    async (request) => {
      const { name, description, price, category } = request.body;
      const fields: ProductFields = { name, description, price, category };
      if (Object.values(fields).every((value) => value === undefined))
        throw new HttpError(400, { detail: 'No fields to update' });
      const id = idFromPath(request.params.id);
      const product = id === undefined ? undefined : await store.update(id, fields);
      if (product === undefined) throw notFound(PRODUCT_NOT_FOUND);
      await invalidator.afterWrite();
      return product;
    },
  );

  app.delete<{ Params: { id: string } }>('/products/:id', { schema: deleteProductSchema }, async (request, reply) => {
    const id = idFromPath(request.params.id);
    if (id === undefined || !(await store.delete(id))) throw notFound(PRODUCT_NOT_FOUND);
    await invalidator.afterWrite();
    return reply.code(204).send();
  });
};
