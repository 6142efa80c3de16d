import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * GitHub's published OpenAPI description of api.github.com (from @octokit/openapi), used to check that the fake
 * GitHub only serves operations that exist and that every request body the bootstrap sends, and every response
 * the fake returns, matches GitHub's schemas. Only the small non-dereferenced file is read (13 MB, not 400).
 */

type Schema = Record<string, unknown>;

interface Operation {
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> } | { $ref: string }>;
}

interface Description {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  };
}

export interface GitHubContract {
  /** The description's version, e.g. 23.0.2. */
  version: string;
  hasOperation(method: string, template: string): boolean;
  /** Problems with a request body (undefined: no body was sent); empty when it matches. */
  requestProblems(method: string, template: string, body: unknown): string[];
  /** Problems with a response the fake is about to send; empty when it matches. */
  responseProblems(method: string, template: string, status: number, body: unknown): string[];
}

const SCHEMA_REF = /^#\/components\/schemas\/(.+)$/;

/** Every component schema `schema` refers to, directly or through other components. */
function referencedSchemas(
  schema: unknown,
  all: Record<string, Schema>,
  found: Record<string, Schema> = {},
): Record<string, Schema> {
  if (Array.isArray(schema)) {
    for (const item of schema) referencedSchemas(item, all, found);
  } else if (typeof schema === 'object' && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      const match = key === '$ref' && typeof value === 'string' ? SCHEMA_REF.exec(value) : null;
      if (match) {
        const name = match[1] ?? '';
        if (!(name in found)) {
          const target = all[name];
          if (!target) throw new Error(`the OpenAPI description has no schema ${name}`);
          found[name] = target;
          referencedSchemas(target, all, found);
        }
      } else {
        referencedSchemas(value, all, found);
      }
    }
  }
  return found;
}

/**
 * OpenAPI 3.0's `nullable` beside `anyOf`/`oneOf` without a `type` (e.g. a ruleset's `conditions`), which Ajv
 * refuses to compile, written as the JSON Schema it means: one of the alternatives, or null.
 */
function nullableWithoutType(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullableWithoutType);
  if (typeof schema !== 'object' || schema === null) return schema;
  const entries = Object.entries(schema).map(([key, value]) => [key, nullableWithoutType(value)] as const);
  const copy = Object.fromEntries(entries) as Schema;
  if (copy.nullable === true && copy.type === undefined) {
    delete copy.nullable;
    return { anyOf: [copy, { type: 'null' }] };
  }
  return copy;
}

let cached: GitHubContract | undefined;

export function loadGitHubContract(): GitHubContract {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const path = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const description = JSON.parse(readFileSync(path, 'utf8')) as Description & { info: { version: string } };
  // OpenAPI 3.0 schemas: `nullable`, and keywords JSON Schema does not know (example, discriminator, x-*).
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = new Map<string, ValidateFunction>();

  const validatorFor = (key: string, schema: Schema): ValidateFunction => {
    let validate = validators.get(key);
    if (!validate) {
      // The $refs point into #/components/schemas, so the referenced schemas travel with the compiled root.
      const root = nullableWithoutType({
        allOf: [schema],
        components: { schemas: referencedSchemas(schema, description.components.schemas) },
      }) as Schema;
      validate = ajv.compile(root);
      validators.set(key, validate);
    }
    return validate;
  };
  const operation = (method: string, template: string): Operation => {
    const found = description.paths[template]?.[method.toLowerCase()];
    if (!found) throw new Error(`GitHub's OpenAPI description has no operation ${method} ${template}`);
    return found;
  };
  const errorsOf = (validate: ValidateFunction): string[] =>
    (validate.errors ?? []).map(
      (e) => `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
    );

  cached = {
    version: description.info.version,
    hasOperation: (method, template) => description.paths[template]?.[method.toLowerCase()] !== undefined,
    requestProblems(method, template, body) {
      const op = operation(method, template);
      const schema = op.requestBody?.content?.['application/json']?.schema;
      if (!schema) return body === undefined ? [] : [`${method} ${template} takes no request body`];
      if (body === undefined) return op.requestBody?.required ? [`${method} ${template} requires a request body`] : [];
      const validate = validatorFor(`request ${method} ${template}`, schema);
      return validate(body) ? [] : errorsOf(validate).map((e) => `request ${method} ${template}: ${e}`);
    },
    responseProblems(method, template, status, body) {
      const op = operation(method, template);
      let response = op.responses[String(status)];
      if (response && '$ref' in response) {
        response = description.components.responses[response.$ref.replace('#/components/responses/', '')];
      }
      if (!response) {
        return status < 300 ? [`response ${method} ${template}: GitHub never answers ${status}`] : [];
      }
      const schema = response.content?.['application/json']?.schema;
      if (!schema) {
        // Error answers always carry GitHub's {message, documentation_url}, even where the description omits it.
        return body === undefined || status >= 400
          ? []
          : [`response ${method} ${template} ${status}: GitHub sends no body`];
      }
      const validate = validatorFor(`response ${method} ${template} ${status}`, schema);
      return validate(body) ? [] : errorsOf(validate).map((e) => `response ${method} ${template} ${status}: ${e}`);
    },
  };
  return cached;
}
