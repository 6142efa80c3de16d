import { productBodySchema } from '@berth/catalog';
import { errorBodySchema, paginationQuerySchema } from '@berth/service-kit';
import { SERVICE_NAME } from './config.ts';

/** The gateway's own failures (502/504); downstream errors pass through with their own shapes. */
export const gatewayErrorSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const;

const passThrough = { description: 'the downstream service answer, passed through' } as const;

const stockSchema = {
  type: 'object',
  required: ['quantity', 'warehouse'],
  properties: { quantity: { type: 'integer' }, warehouse: { type: ['string', 'null'] } },
} as const;

const productWithStockSchema = {
  ...productBodySchema,
  properties: { ...productBodySchema.properties, inventory: stockSchema },
} as const;

const downstreamErrors = {
  '4xx': passThrough,
  502: gatewayErrorSchema,
  503: passThrough,
  504: gatewayErrorSchema,
} as const;

const pathId = { type: 'string', minLength: 1, maxLength: 64 } as const;

export const healthSchema = {
  response: {
    200: {
      type: 'object',
      required: ['status', 'service', 'downstream_services'],
      properties: {
        status: { type: 'string', enum: ['healthy', 'degraded'] },
        service: { type: 'string', enum: [SERVICE_NAME] },
        downstream_services: {
          type: 'object',
          required: ['product_service', 'inventory_service'],
          properties: {
            product_service: { type: 'string', enum: ['healthy', 'unhealthy'] },
            inventory_service: { type: 'string', enum: ['healthy', 'unhealthy'] },
          },
        },
      },
    },
  },
} as const;

export const productWithStockRouteSchema = {
  params: { type: 'object', required: ['id'], properties: { id: pathId } },
  response: { 200: productWithStockSchema, ...downstreamErrors },
} as const;

/** `limit` and `offset` as the services accept them (checked here too, so a bad one is never forwarded). */
export const paginationQuery = paginationQuerySchema;

export const productsFullRouteSchema = {
  querystring: {
    type: 'object',
    properties: { force_refresh: { type: 'string', enum: ['true', 'false', '1', '0'] }, ...paginationQuerySchema },
  },
  response: { 200: { type: 'array', items: productWithStockSchema }, ...downstreamErrors },
} as const;

/** Proxied routes: the gateway checks the path and body shape; the service validates the content. */
export function proxyRouteSchema(options: {
  params?: readonly string[];
  body?: boolean;
  query?: Record<string, unknown>;
}) {
  const params = options.params ?? [];
  return {
    ...(params.length > 0 && {
      params: {
        type: 'object',
        required: [...params],
        properties: Object.fromEntries(params.map((name) => [name, pathId])),
      },
    }),
    ...(options.body && { body: { type: 'object' } }),
    ...(options.query && { querystring: { type: 'object', properties: options.query } }),
    response: { '2xx': passThrough, ...downstreamErrors, 422: errorBodySchema },
  };
}
