/** Placeholder values by name, e.g. `execution_role_arn` or `service_cpu.api-gateway`. */
export type PlaceholderValues = Map<string, string | number | boolean>;

/** `${name}` where name is letters, digits, `_`, `-`, `.`; `$${…}` is an escaped literal `${…}`. */
const PLACEHOLDER = /\$?\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Adds an object's entries as placeholders, flattening nested maps as `name.key` (and lists as `name.0`),
 * which is how `service_cpu = { api-gateway = 256 }` becomes `${service_cpu.api-gateway}`.
 */
export function addFlattened(values: PlaceholderValues, prefix: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    values.set(prefix, value);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => addFlattened(values, `${prefix}.${index}`, item));
    return;
  }
  if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) addFlattened(values, prefix ? `${prefix}.${key}` : key, item);
  }
}

export interface Substitution {
  value: unknown;
  /** Placeholder names with no value, each with the JSON path where it stands. */
  unresolved: { name: string; path: string }[];
  /** Placeholders that are not valid names, e.g. `${ }`. */
  malformed: { text: string; path: string }[];
}

/**
 * Replaces placeholders in every string of a parsed JSON document. A string that is exactly one
 * placeholder takes the value's own type (so `"${desired}"` can become a number); otherwise values are
 * interpolated as text. Keys are never substituted: RegisterTaskDefinition's keys are fixed.
 */
export function substitutePlaceholders(document: unknown, values: PlaceholderValues): Substitution {
  const unresolved: Substitution['unresolved'] = [];
  const malformed: Substitution['malformed'] = [];

  const visit = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') return substituteString(node, path);
    if (Array.isArray(node)) return node.map((item, index) => visit(item, `${path}[${index}]`));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([key, item]) => [key, visit(item, path ? `${path}.${key}` : key)]),
      );
    }
    return node;
  };

  const substituteString = (text: string, path: string): unknown => {
    const whole = /^\$\{([^}]*)\}$/.exec(text);
    if (whole) {
      const name = whole[1]!.trim();
      if (NAME.test(name) && values.has(name)) return values.get(name);
    }
    return text.replace(PLACEHOLDER, (match, rawName: string) => {
      if (match.startsWith('$$')) return match.slice(1);
      const name = rawName.trim();
      if (!NAME.test(name)) {
        malformed.push({ text: match, path });
        return match;
      }
      const value = values.get(name);
      if (value === undefined) {
        unresolved.push({ name, path });
        return match;
      }
      return String(value);
    });
  };

  return { value: visit(document, ''), unresolved, malformed };
}
