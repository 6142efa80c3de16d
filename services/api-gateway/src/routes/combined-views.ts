import { definedQuery, routeCacheKey, sendCachedRead, type ResponseCache } from '@berth/service-kit';
import type { FastifyPluginAsync } from 'fastify';
import { productsWithStock, productWithStock } from '../catalog-views.ts';
import type { DownstreamClient } from '../downstream-client.ts';
import { productsFullRouteSchema, productWithStockRouteSchema } from '../gateway-schemas.ts';

export interface CombinedViewsOptions {
  products: DownstreamClient;
  inventory: DownstreamClient;
  responses: ResponseCache | undefined;
}

/** GET /api/products/{id} and GET /api/products-full: products joined with their stock. */
export const combinedViewRoutes: FastifyPluginAsync<CombinedViewsOptions> = async (
  app,
  { products, inventory, responses },
) => {
  app.get<{ Params: { id: string } }>(
    '/api/products/:id',
    { schema: productWithStockRouteSchema },
    async (request, reply) => {
      const id = encodeURIComponent(request.params.id);
      return sendCachedRead(responses, reply, routeCacheKey(request), async () => {
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

  // Two downstream calls whatever the number of products: the page of products and all stock.
  app.get<{ Querystring: { force_refresh?: string; limit?: string; offset?: string } }>(
    '/api/products-full',
    { schema: productsFullRouteSchema },
    async (request, reply) => {
      const refresh = request.query.force_refresh === 'true' || request.query.force_refresh === '1';
      const page = definedQuery(request, ['force_refresh']);
      return sendCachedRead(
        responses,
        reply,
        routeCacheKey(request, ['force_refresh']),
        async () => {
          const [productList, inventoryList] = await Promise.all([
            products.request({ method: 'GET', path: `/products${page}`, requestId: request.id }),
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
};
