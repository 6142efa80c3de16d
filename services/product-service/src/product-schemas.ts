import { errorBodySchema, idParamSchema, productBodySchema } from '@berth/service-kit';

// numeric(10,2) holds at most 99,999,999.99.
const priceSchema = { type: 'number', exclusiveMinimum: 0, maximum: 99_999_999.99 } as const;
const nameSchema = { type: 'string', minLength: 1, maxLength: 255 } as const;
const descriptionSchema = { type: ['string', 'null'] } as const;
const categorySchema = { type: ['string', 'null'], maxLength: 100 } as const;

export const productSchema = productBodySchema;

const idParams = { type: 'object', required: ['id'], properties: { id: idParamSchema } } as const;

export const listProductsSchema = {
  querystring: { type: 'object', properties: { category: { type: 'string', maxLength: 100 } } },
  response: { 200: { type: 'array', items: productSchema } },
} as const;

export const getProductSchema = {
  params: idParams,
  response: { 200: productSchema, 404: errorBodySchema, 422: errorBodySchema },
} as const;

export const createProductSchema = {
  body: {
    type: 'object',
    required: ['name', 'price'],
    properties: { name: nameSchema, description: descriptionSchema, price: priceSchema, category: categorySchema },
  },
  response: { 201: productSchema, 422: errorBodySchema },
} as const;

export const updateProductSchema = {
  params: idParams,
  body: {
    type: 'object',
    properties: { name: nameSchema, description: descriptionSchema, price: priceSchema, category: categorySchema },
  },
  response: { 200: productSchema, 400: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema },
} as const;

export const deleteProductSchema = {
  params: idParams,
  response: { 204: { type: 'null' }, 404: errorBodySchema, 422: errorBodySchema },
} as const;
