import { errorBodySchema, idParamSchema, paginationQuerySchema } from '@berth/service-kit';

/** The contract's limits on a product's fields (longer or out-of-range values are answered with 422). */
export const PRODUCT_LIMITS = { nameMaxLength: 255, descriptionMaxLength: 2_000, categoryMaxLength: 100 } as const;

// numeric(10,2) holds at most 99,999,999.99.
const priceSchema = { type: 'number', exclusiveMinimum: 0, maximum: 99_999_999.99 } as const;
const nameSchema = { type: 'string', minLength: 1, maxLength: PRODUCT_LIMITS.nameMaxLength } as const;
const descriptionSchema = { type: ['string', 'null'], maxLength: PRODUCT_LIMITS.descriptionMaxLength } as const;
const categorySchema = { type: ['string', 'null'], maxLength: PRODUCT_LIMITS.categoryMaxLength } as const;

/** A product as the contract shows it (the product service's answer, and the gateway's before it adds stock). */
export const productBodySchema = {
  type: 'object',
  required: ['id', 'name', 'description', 'price', 'category'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    description: { type: ['string', 'null'] },
    price: { type: 'number' },
    category: { type: ['string', 'null'] },
  },
} as const;

const productFields = {
  name: nameSchema,
  description: descriptionSchema,
  price: priceSchema,
  category: categorySchema,
} as const;

const idParams = { type: 'object', required: ['id'], properties: { id: idParamSchema } } as const;

export const listProductsSchema = {
  querystring: {
    type: 'object',
    properties: { category: { type: 'string', maxLength: PRODUCT_LIMITS.categoryMaxLength }, ...paginationQuerySchema },
  },
  response: { 200: { type: 'array', items: productBodySchema }, 422: errorBodySchema },
} as const;

export const getProductSchema = {
  params: idParams,
  response: { 200: productBodySchema, 404: errorBodySchema, 422: errorBodySchema },
} as const;

export const createProductSchema = {
  body: { type: 'object', required: ['name', 'price'], properties: productFields },
  response: { 201: productBodySchema, 422: errorBodySchema },
} as const;

export const updateProductSchema = {
  params: idParams,
  body: { type: 'object', properties: productFields },
  response: { 200: productBodySchema, 400: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema },
} as const;

export const deleteProductSchema = {
  params: idParams,
  response: { 204: { type: 'null' }, 404: errorBodySchema, 422: errorBodySchema },
} as const;
