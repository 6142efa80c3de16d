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

/** A path id: digits with an optional minus sign, validated as text because coercion is off. */
export const idParamSchema = { type: 'string', pattern: '^-?[0-9]{1,12}$' } as const;

const MAX_INT4 = 2_147_483_647;

/** The numeric value of a path id, or undefined when it cannot be a PostgreSQL integer key (no such row). */
export function idFromPath(raw: string): number | undefined {
  const value = Number(raw);
  return Number.isSafeInteger(value) && value >= -MAX_INT4 - 1 && value <= MAX_INT4 ? value : undefined;
}

/**
 * Optional `limit` (1–1000) and `offset` of a list. Query values arrive as text and coercion is
 * off, so they are validated as digits; `pageFromQuery` turns them into numbers.
 */
export const paginationQuerySchema = {
  limit: { type: 'string', pattern: '^(?:[1-9][0-9]{0,2}|1000)$' },
  offset: { type: 'string', pattern: '^[0-9]{1,9}$' },
} as const;

export interface Page {
  /** undefined: every row (the contract's behaviour without `limit`). */
  limit: number | undefined;
  offset: number;
}

export function pageFromQuery(query: { limit?: string; offset?: string }): Page {
  return {
    limit: query.limit === undefined ? undefined : Number(query.limit),
    offset: query.offset === undefined ? 0 : Number(query.offset),
  };
}
