import { isBody, isExpression, type HclValue } from './hcl.ts';

/** The part of Terraform's type language the tfvars check understands; anything richer is `opaque`. */
export type TypeConstraint =
  | { kind: 'string' | 'number' | 'bool' | 'any' }
  | { kind: 'list' | 'set' | 'map'; element: TypeConstraint }
  | { kind: 'object' | 'tuple' | 'opaque'; text: string };

/** Parses a variable's `type` expression text, e.g. `map(number)` or `list(string)`. */
export function parseTypeConstraint(text: string): TypeConstraint {
  const source = text.replace(/\s+/g, '');
  if (source === 'string' || source === 'number' || source === 'bool' || source === 'any') return { kind: source };
  const collection = /^(list|set|map)\((.*)\)$/.exec(source);
  if (collection) {
    return { kind: collection[1] as 'list' | 'set' | 'map', element: parseTypeConstraint(collection[2] ?? '') };
  }
  if (source.startsWith('object(')) return { kind: 'object', text: source };
  if (source.startsWith('tuple(')) return { kind: 'tuple', text: source };
  return { kind: 'opaque', text: source };
}

export function describeType(type: TypeConstraint): string {
  if ('element' in type) return `${type.kind}(${describeType(type.element)})`;
  return 'text' in type ? type.text : type.kind;
}

/**
 * Explains why `value` does not fit `type`, or returns undefined when it does (or cannot be judged). Stricter than
 * Terraform on purpose: a quoted number or boolean is accepted by Terraform's conversion but is almost always a
 * typo in a tfvars file, so it is reported.
 */
export function typeMismatch(value: HclValue, type: TypeConstraint, path: string): string | undefined {
  if (value === null) return undefined;
  if (isExpression(value)) return `${path} is an expression; tfvars files hold literal values only`;
  switch (type.kind) {
    case 'any':
    case 'opaque':
      return undefined;
    case 'string':
      return typeof value === 'string' ? undefined : `${path} must be a string, got ${describeValue(value)}`;
    case 'number':
      return typeof value === 'number' ? undefined : `${path} must be a number, got ${describeValue(value)}`;
    case 'bool':
      return typeof value === 'boolean' ? undefined : `${path} must be a bool, got ${describeValue(value)}`;
    case 'tuple':
      return Array.isArray(value) ? undefined : `${path} must be a tuple, got ${describeValue(value)}`;
    case 'object':
      return isBody(value) ? undefined : `${path} must be an object, got ${describeValue(value)}`;
    case 'list':
    case 'set':
      if (!Array.isArray(value)) return `${path} must be a ${type.kind}, got ${describeValue(value)}`;
      for (const [index, item] of value.entries()) {
        const problem = typeMismatch(item, type.element, `${path}[${index}]`);
        if (problem) return problem;
      }
      return undefined;
    case 'map':
      if (!isBody(value)) return `${path} must be a map, got ${describeValue(value)}`;
      for (const [key, item] of Object.entries(value)) {
        const problem = typeMismatch(item, type.element, `${path}["${key}"]`);
        if (problem) return problem;
      }
      return undefined;
  }
}

function describeValue(value: HclValue): string {
  if (Array.isArray(value)) return 'a list';
  if (isBody(value)) return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
