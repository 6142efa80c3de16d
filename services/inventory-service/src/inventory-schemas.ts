import { errorBodySchema, idParamSchema, paginationQuerySchema } from '@berth/service-kit';

const MAX_INT4 = 2_147_483_647;
const quantitySchema = { type: 'integer', minimum: 0, maximum: MAX_INT4 } as const;
const warehouseSchema = { type: ['string', 'null'], maxLength: 100 } as const;

export const inventoryItemSchema = {
  type: 'object',
  required: ['id', 'product_id', 'quantity', 'warehouse', 'last_updated'],
  properties: {
    id: { type: 'integer' },
    product_id: { type: 'integer' },
    quantity: { type: 'integer' },
    warehouse: { type: ['string', 'null'] },
    last_updated: { type: 'string' },
  },
} as const;

const idParams = { type: 'object', required: ['id'], properties: { id: idParamSchema } } as const;

export const listInventorySchema = {
  querystring: { type: 'object', properties: paginationQuerySchema },
  response: { 200: { type: 'array', items: inventoryItemSchema }, 400: errorBodySchema },
} as const;

export const getInventorySchema = {
  params: idParams,
  response: { 200: inventoryItemSchema, 400: errorBodySchema, 404: errorBodySchema },
} as const;

export const getInventoryByProductSchema = {
  params: { type: 'object', required: ['product_id'], properties: { product_id: idParamSchema } },
  response: { 200: inventoryItemSchema, 400: errorBodySchema, 404: errorBodySchema },
} as const;

export const createInventorySchema = {
  body: {
    type: 'object',
    required: ['product_id', 'quantity'],
    properties: {
      product_id: { type: 'integer', minimum: 1, maximum: MAX_INT4 },
      quantity: quantitySchema,
      warehouse: warehouseSchema,
    },
  },
  response: { 201: inventoryItemSchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema },
} as const;

export const updateInventorySchema = {
  params: idParams,
  body: { type: 'object', properties: { quantity: quantitySchema, warehouse: warehouseSchema } },
  response: { 200: inventoryItemSchema, 400: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema },
} as const;

export const deleteInventorySchema = {
  params: idParams,
  response: { 204: { type: 'null' }, 400: errorBodySchema, 404: errorBodySchema },
} as const;

export const adjustInventorySchema = {
  params: idParams,
  body: {
    type: 'object',
    required: ['delta'],
    properties: { delta: { type: 'integer', minimum: -MAX_INT4, maximum: MAX_INT4 } },
  },
  response: {
    200: inventoryItemSchema,
    400: errorBodySchema,
    404: errorBodySchema,
    409: errorBodySchema,
    422: errorBodySchema,
  },
} as const;
