import { definedQuery, routeCacheKey, sendCachedRead, type ResponseCache } from '@berth/service-kit';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { DownstreamClient, DownstreamRequest, DownstreamResponse } from '../downstream-client.ts';
import { paginationQuery, proxyRouteSchema } from '../gateway-schemas.ts';

export interface ProxyRoutesOptions {
  products: DownstreamClient;
  inventory: DownstreamClient;
  responses: ResponseCache | undefined;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function sendDownstream(reply: FastifyReply, response: DownstreamResponse): FastifyReply {
  if (response.statusCode === 204 || response.body === '') return reply.code(response.statusCode).send();
  return reply
    .code(response.statusCode)
    .header('content-type', response.contentType ?? JSON_TYPE)
    .send(response.body);
}

/** The service path: the request's path without /api, with only the query parameters the route defines. */
function downstreamPath(request: FastifyRequest): string {
  const path = request.url.split('?', 1)[0] ?? '';
  return `${path.slice('/api'.length)}${definedQuery(request)}`;
}

function forward(
  client: DownstreamClient,
  method: DownstreamRequest['method'],
  request: FastifyRequest,
): Promise<DownstreamResponse> {
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  return client.request({ method, path: downstreamPath(request), requestId: request.id, body });
}

/**
 * /api/products… and /api/inventory… passed through to the services with /api removed: method,
 * defined query, body, status and JSON body. Reads go through the response cache.
 */
export const proxyRoutes: FastifyPluginAsync<ProxyRoutesOptions> = async (app, { products, inventory, responses }) => {
  const read = (client: DownstreamClient) => async (request: FastifyRequest, reply: FastifyReply) =>
    sendCachedRead(responses, reply, routeCacheKey(request), () => forward(client, 'GET', request));
  const write =
    (client: DownstreamClient, method: DownstreamRequest['method']) =>
    async (request: FastifyRequest, reply: FastifyReply) =>
      sendDownstream(reply, await forward(client, method, request));

  app.get(
    '/api/products',
    { schema: proxyRouteSchema({ query: { category: { type: 'string' }, ...paginationQuery } }) },
    read(products),
  );
  app.post('/api/products', { schema: proxyRouteSchema({ body: true }) }, write(products, 'POST'));
  app.put('/api/products/:id', { schema: proxyRouteSchema({ params: ['id'], body: true }) }, write(products, 'PUT'));
  app.delete('/api/products/:id', { schema: proxyRouteSchema({ params: ['id'] }) }, write(products, 'DELETE'));

  app.get('/api/inventory', { schema: proxyRouteSchema({ query: paginationQuery }) }, read(inventory));
  app.get('/api/inventory/:id', { schema: proxyRouteSchema({ params: ['id'] }) }, read(inventory));
  app.get(
    '/api/inventory/product/:product_id',
    { schema: proxyRouteSchema({ params: ['product_id'] }) },
    read(inventory),
  );
  app.post('/api/inventory', { schema: proxyRouteSchema({ body: true }) }, write(inventory, 'POST'));
  app.put('/api/inventory/:id', { schema: proxyRouteSchema({ params: ['id'], body: true }) }, write(inventory, 'PUT'));
  app.delete('/api/inventory/:id', { schema: proxyRouteSchema({ params: ['id'] }) }, write(inventory, 'DELETE'));
  app.post(
    '/api/inventory/:id/adjust',
    { schema: proxyRouteSchema({ params: ['id'], body: true }) },
    write(inventory, 'POST'),
  );
};
