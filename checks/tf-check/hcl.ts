import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * hcl2-parser is a GopherJS build of hcl2json. It returns `[body, error]`; the body is the JSON form of the file:
 * literals stay literals, every expression becomes its source text wrapped in `${...}`, and each block type maps
 * labels to arrays of bodies (`resource.<type>.<name>[0]`). Its error object carries no message or position: where a
 * file is broken is for `terraform fmt` and `terraform validate` to say. It is CommonJS with dynamically set exports,
 * which Node's ESM named-import detection cannot see, hence `createRequire`.
 */
const require = createRequire(import.meta.url);
type Parser = { parseToObject(text: string): [unknown, unknown] };
let parser: Parser | undefined;
function loadParser(): Parser {
  parser ??= require('hcl2-parser') as Parser;
  return parser;
}

/**
 * The GopherJS parser needs about a second per 10 kB, so results are cached by content hash under
 * node_modules/.cache: the parser is deterministic, so a hit is exactly what a fresh parse would return.
 */
const CACHE_DIR = join(dirname(require.resolve('hcl2-parser/package.json')), '..', '.cache', 'tf-check');
const PARSER_VERSION = (
  JSON.parse(readFileSync(require.resolve('hcl2-parser/package.json'), 'utf8')) as { version: string }
).version;

export type HclValue = string | number | boolean | null | HclValue[] | HclBody;
export interface HclBody {
  [key: string]: HclValue;
}

export type ParseResult = { ok: true; body: HclBody } | { ok: false };

export function parseHcl(text: string): ParseResult {
  const key = createHash('sha256').update(PARSER_VERSION).update('\0').update(text).digest('hex');
  const cached = readCache(key);
  if (cached) return cached;
  const [body, error] = loadParser().parseToObject(text);
  const result: ParseResult = error || !isBody(body) ? { ok: false } : { ok: true, body };
  writeCache(key, result);
  return result;
}

function readCache(key: string): ParseResult | undefined {
  try {
    return JSON.parse(readFileSync(join(CACHE_DIR, `${key}.json`), 'utf8')) as ParseResult;
  } catch {
    return undefined;
  }
}

function writeCache(key: string, result: ParseResult): void {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(join(CACHE_DIR, `${key}.json`), JSON.stringify(result));
  } catch {
    // A read-only checkout only loses speed, never correctness.
  }
}

export function isBody(value: unknown): value is HclBody {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An attribute written as an expression rather than a literal: the parser renders it as `${...}`. */
export function isExpression(value: HclValue | undefined): boolean {
  return typeof value === 'string' && value.startsWith('${') && value.endsWith('}');
}

/** The source text of an expression attribute without its `${...}` wrapper. */
export function expressionText(value: string): string {
  return isExpression(value) ? value.slice(2, -1) : value;
}

/** Every string anywhere inside a value, in order: where references and literals are searched. */
export function collectStrings(value: HclValue | undefined, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (isBody(value)) for (const item of Object.values(value)) collectStrings(item, into);
  return into;
}

/** Nested blocks of one type inside a body (`lifecycle`, `ingress`, ...), always as a list. */
export function blocks(body: HclBody, type: string): HclBody[] {
  const value = body[type];
  if (Array.isArray(value)) return value.filter(isBody);
  return isBody(value) ? [value] : [];
}

/** Labelled blocks (`variable "x" {}`): label → first body. Terraform forbids duplicate labels in one module. */
export function labelled(body: HclBody, type: string): Map<string, HclBody> {
  const result = new Map<string, HclBody>();
  const value = body[type];
  if (!isBody(value)) return result;
  for (const [label, bodies] of Object.entries(value)) {
    const first = Array.isArray(bodies) ? bodies.find(isBody) : undefined;
    if (first) result.set(label, first);
  }
  return result;
}

/** Doubly labelled blocks (`resource "type" "name" {}`): `type.name` → body. */
export function doublyLabelled(
  body: HclBody,
  type: string,
): Map<string, { type: string; name: string; body: HclBody }> {
  const result = new Map<string, { type: string; name: string; body: HclBody }>();
  const value = body[type];
  if (!isBody(value)) return result;
  for (const [kind, byName] of Object.entries(value)) {
    if (!isBody(byName)) continue;
    for (const [name, bodies] of Object.entries(byName)) {
      const first = Array.isArray(bodies) ? bodies.find(isBody) : undefined;
      if (first) result.set(`${kind}.${name}`, { type: kind, name, body: first });
    }
  }
  return result;
}
