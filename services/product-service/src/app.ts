import {
  createDataServiceApp,
  HttpError,
  idFromPath,
  notFound,
  replyCached,
  type DataServiceDeps,
} from '@berth/service-kit';
import type { FastifyInstance } from 'fastify';
import { SERVICE_NAME, type ProductServiceConfig } from './config.ts';
import {
  createProductSchema,
  deleteProductSchema,
  getProductSchema,
  listProductsSchema,
  updateProductSchema,
} from './product-schemas.ts';
import { ProductStore, type ProductFields } from './product-store.ts';

export type ProductServiceDeps = DataServiceDeps<ProductServiceConfig>;

const PRODUCT_NOT_FOUND = 'Product not found';

/** The product-service HTTP API. The caller owns db and cache and closes them after app.close(). */
export function buildApp(deps: ProductServiceDeps): FastifyInstance {
  // Reads are answered from this process when no write has happened since they were cached, so a list
  // costs no query until the next write.
  const { app, invalidator, responses } = createDataServiceApp(SERVICE_NAME, deps);
  const store = new ProductStore(deps.db);

  app.get<{ Querystring: { category?: string } }>('/products', { schema: listProductsSchema }, async (request, reply) =>
    replyCached(responses, request, reply, () => store.list(request.query.category)),
  );

  app.get<{ Params: { id: string } }>('/products/:id', { schema: getProductSchema }, async (request, reply) =>
    replyCached(responses, request, reply, async () => {
      const id = idFromPath(request.params.id);
      const product = id === undefined ? undefined : await store.get(id);
      if (product === undefined) throw notFound(PRODUCT_NOT_FOUND);
      return product;
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

  return app;
}
