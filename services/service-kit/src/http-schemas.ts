/** JSON schemas shared by every service's routes. */

/** Every error a service returns: `detail` says what failed and what to do; validation adds `errors`. */
export const errorBodySchema = {
  type: 'object',
  required: ['detail'],
  properties: {
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { location: { type: 'string' }, message: { type: 'string' } } },
    },
    available: { type: 'integer' },
  },
} as const;

export function healthBodySchema(service: string) {
  return {
    type: 'object',
    required: ['status', 'service'],
    properties: { status: { type: 'string', enum: ['healthy'] }, service: { type: 'string', enum: [service] } },
  } as const;
}

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

/** A path id: digits with an optional minus sign, validated as text because coercion is off. */
export const idParamSchema = { type: 'string', pattern: '^-?[0-9]{1,12}$' } as const;

const MAX_INT4 = 2_147_483_647;

/** The numeric value of a path id, or undefined when it cannot be a PostgreSQL integer key (no such row). */
export function idFromPath(raw: string): number | undefined {
  const value = Number(raw);
  return Number.isSafeInteger(value) && value >= -MAX_INT4 - 1 && value <= MAX_INT4 ? value : undefined;
}
