import { ActionError, lookupTerraformOutput, type TerraformOutputs } from '@berth/kit';

/**
 * The string value at each `output[.key]` path. Every path that is missing or not a string is reported at once,
 * with the outputs (or map keys) that do exist so the fix is obvious.
 */
export function terraformValues(outputs: TerraformOutputs, paths: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  const problems: string[] = [];
  for (const path of new Set(paths)) {
    const value = lookupTerraformOutput(outputs, path);
    if (typeof value === 'string' && value !== '') {
      values.set(path, value);
    } else if (value === undefined) {
      problems.push(`output "${path}" does not exist; ${available(outputs, path)}`);
    } else if (isMap(value)) {
      const keys = Object.keys(value);
      problems.push(
        `output "${path}" is a map, not a string; name one key, e.g. ${path}.${keys[0] ?? '<key>'} ` +
          `(keys: ${keys.join(', ') || 'none'})`,
      );
    } else {
      problems.push(
        `output "${path}" is ${value === '' ? 'an empty string' : `a ${typeof value}`}, not a non-empty string`,
      );
    }
  }
  if (problems.length > 0) throw ActionError.fromProblems('Terraform outputs do not give every value', problems);
  return values;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function available(outputs: TerraformOutputs, path: string): string {
  const dot = path.indexOf('.');
  const base = dot < 0 ? undefined : outputs[path.slice(0, dot)];
  if (isMap(base)) return `keys of "${path.slice(0, dot)}": ${Object.keys(base).join(', ') || 'none'}`;
  return `outputs: ${Object.keys(outputs).join(', ') || 'none'}`;
}
