import { existsSync, readFileSync } from 'node:fs';
import { ActionError } from './errors';

/** Flat outputs of `terraform output -json`: name → value (the `{value,type,sensitive}` wrapper removed). */
export type TerraformOutputs = Record<string, unknown>;

/**
 * Accepts a path to, or the JSON text of, `terraform output -json`. Plain `{name: value}` objects are
 * accepted too, so a hand-written file works the same way.
 */
export function readTerraformOutputs(pathOrJson: string, inputName = 'terraform-outputs'): TerraformOutputs {
  const trimmed = pathOrJson.trim();
  let text: string;
  let origin: string;
  if (trimmed.startsWith('{')) {
    text = trimmed;
    origin = `input "${inputName}"`;
  } else if (existsSync(trimmed)) {
    text = readFileSync(trimmed, 'utf8');
    origin = `file ${trimmed}`;
  } else {
    throw new ActionError(
      `input "${inputName}" is neither JSON nor an existing file: "${trimmed.slice(0, 120)}". ` +
        'Give the path of the file written by `terraform output -json > outputs.json`, or its JSON text.',
    );
  }
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
  for (const [name, entry] of Object.entries(parsed)) {
    outputs[name] = isWrapped(entry) ? entry.value : entry;
  }
  return outputs;
}

function isWrapped(entry: unknown): entry is { value: unknown } {
  return typeof entry === 'object' && entry !== null && 'value' in entry && ('type' in entry || 'sensitive' in entry);
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
