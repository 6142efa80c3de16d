import type { FastifySchema, RouteOptions } from 'fastify';

// PostgreSQL text cannot hold U+0000: a NUL that reaches it is an error (SQLSTATE 22021), so every string a
// request schema accepts refuses it before a route runs. createServiceApp applies this to every route, so no
// route schema has to remember it.

/** The JSON-schema keyword (ours) that refuses a string containing U+0000. */
export const NUL_FREE_KEYWORD = 'x-berth-nul-free';

export const NUL_FREE_MESSAGE = 'must not contain NUL characters (U+0000)';

interface KeywordHost {
  addKeyword(definition: {
    keyword: string;
    type: 'string';
    schemaType: 'boolean';
    errors: false;
    error: { message: string };
    validate: (schema: boolean, data: string) => boolean;
  }): unknown;
}

/** An Ajv plugin (Fastify's `ajv.plugins`) defining the keyword. */
export function nulFreeKeyword<A extends KeywordHost>(ajv: A): A {
  ajv.addKeyword({
    keyword: NUL_FREE_KEYWORD,
    type: 'string',
    schemaType: 'boolean',
    errors: false,
    error: { message: NUL_FREE_MESSAGE },
    validate: (enabled, data) => !enabled || !data.includes('\u0000'),
  });
  return ajv;
}

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A schema that may accept a string: typed as one, or untyped (the keyword only looks at string data). */
function mayAcceptString(schema: Schema): boolean {
  if ('$ref' in schema) return false;
  const { type } = schema;
  return type === undefined || type === 'string' || (Array.isArray(type) && type.includes('string'));
}

const SUBSCHEMA_MAPS = ['properties', 'patternProperties'] as const;
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;
// `not` and `if` are left alone: a keyword added inside them would invert or only steer the check.
const SUBSCHEMAS = ['items', 'additionalProperties', 'then', 'else'] as const;

/** The schema with the keyword on every subschema that may accept a string; copies, never mutates. */
export function withNulFreeStrings(schema: unknown): unknown {
  if (!isSchema(schema)) return schema;
  const copy: Schema = { ...schema };
  if (mayAcceptString(schema) && copy[NUL_FREE_KEYWORD] === undefined) copy[NUL_FREE_KEYWORD] = true;
  for (const key of SUBSCHEMA_MAPS) {
    const map = schema[key];
    if (isSchema(map))
      copy[key] = Object.fromEntries(Object.entries(map).map(([name, sub]) => [name, withNulFreeStrings(sub)]));
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = schema[key];
    if (Array.isArray(list)) copy[key] = list.map(withNulFreeStrings);
  }
  for (const key of SUBSCHEMAS) {
    const sub = schema[key];
    if (Array.isArray(sub)) copy[key] = sub.map(withNulFreeStrings);
    else if (isSchema(sub)) copy[key] = withNulFreeStrings(sub);
  }
  return copy;
}

const OBJECT_PARTS = ['querystring', 'params', 'headers'] as const;

/**
 * The route's request schemas (body, querystring, params, headers) with NUL refused in every string; the
 * response schemas are untouched. A part given as bare properties (Fastify's shorthand) is read as such.
 */
export function refuseNulInRequestSchemas(schema: FastifySchema): FastifySchema {
  const result: Record<string, unknown> = { ...schema };
  if (schema.body !== undefined) result.body = withNulFreeStrings(schema.body);
  for (const part of OBJECT_PARTS) {
    const value = schema[part];
    if (!isSchema(value)) continue;
    const shorthand = value.type === undefined && value.properties === undefined && !('$ref' in value);
    result[part] = withNulFreeStrings(shorthand ? { type: 'object', properties: value } : value);
  }
  return result as FastifySchema;
}

/** The onRoute hook createServiceApp registers. */
export function nulFreeRoute(route: RouteOptions): void {
  if (route.schema !== undefined) route.schema = refuseNulInRequestSchemas(route.schema);
}
