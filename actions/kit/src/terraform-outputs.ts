import { existsSync, readFileSync } from 'node:fs';
import { ActionError } from './errors';

/** Flat outputs of `terraform output -json`: name → value (the `{value,type,sensitive}` wrapper removed). */
export type TerraformOutputs = Record<string, unknown>;

export interface ParsedTerraformOutputs {
  outputs: TerraformOutputs;
  /** Every string inside an output Terraform marks `sensitive`: the caller masks them before logging anything. */
  sensitiveValues: string[];
}

/**
 * Parses the JSON of `terraform output -json`. Plain `{name: value}` objects are accepted too, so a
 * hand-written file works the same way. `origin` names where the text came from, for the error message.
 */
export function parseTerraformOutputs(text: string, origin: string): ParsedTerraformOutputs {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ActionError(
      `${origin} is not valid JSON (${(error as Error).message}): pass the output of \`terraform output -json\`.`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ActionError(`${origin} must be a JSON object of outputs, as \`terraform output -json\` prints.`);
  }
  const outputs: TerraformOutputs = {};
  const sensitiveValues: string[] = [];
  for (const [name, entry] of Object.entries(parsed)) {
    if (!isWrapped(entry)) {
      outputs[name] = entry;
      continue;
    }
    outputs[name] = entry.value;
    if ('sensitive' in entry && entry.sensitive === true) sensitiveValues.push(...stringLeaves(entry.value));
  }
  return { outputs, sensitiveValues };
}

/** Accepts a path to, or the JSON text of, `terraform output -json`. */
export function readTerraformOutputsText(
  pathOrJson: string,
  inputName = 'terraform-outputs',
): { text: string; origin: string } {
  const trimmed = pathOrJson.trim();
  if (trimmed.startsWith('{')) return { text: trimmed, origin: `input "${inputName}"` };
  if (existsSync(trimmed)) return { text: readFileSync(trimmed, 'utf8'), origin: `file ${trimmed}` };
  throw new ActionError(
    `input "${inputName}" is neither JSON nor an existing file: "${trimmed.slice(0, 120)}". ` +
      'Give the path of the file written by `terraform output -json > outputs.json`, its JSON text, ' +
      'or the Terraform directory with "terraform-dir".',
  );
}

/** The outputs in a path to, or the JSON text of, `terraform output -json`. */
export function readTerraformOutputs(pathOrJson: string, inputName = 'terraform-outputs'): TerraformOutputs {
  const { text, origin } = readTerraformOutputsText(pathOrJson, inputName);
  return parseTerraformOutputs(text, origin).outputs;
}

function isWrapped(entry: unknown): entry is { value: unknown; sensitive?: unknown } {
  return typeof entry === 'object' && entry !== null && 'value' in entry && ('type' in entry || 'sensitive' in entry);
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringLeaves);
  return [];
}

/** Looks up `name` or `name.key` (a key of a map output). */
export function lookupTerraformOutput(outputs: TerraformOutputs, path: string): unknown {
  if (path in outputs) return outputs[path];
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  const base = outputs[path.slice(0, dot)];
  if (typeof base !== 'object' || base === null) return undefined;
  return (base as Record<string, unknown>)[path.slice(dot + 1)];
}
