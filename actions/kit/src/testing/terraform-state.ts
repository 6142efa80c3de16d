import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** One output of a test configuration; `value` is anything jsonencode can write. */
export interface TestOutput {
  value: unknown;
  sensitive?: boolean;
}

/**
 * Writes a Terraform configuration that has only outputs (no providers, so nothing to download) and applies it
 * with the real `terraform` on PATH into local state. `terraform output -json` in the returned directory then
 * answers exactly as it does after a real apply.
 */
export async function applyOutputsOnlyConfiguration(outputs: Record<string, TestOutput>): Promise<string> {
  const directory = mkdtempSync(join(tmpdir(), 'berth-tf-outputs-'));
  // The value travels as a JSON string literal; HCL would interpolate `${` and `%{` inside it, so they are escaped.
  const literal = (value: unknown): string =>
    JSON.stringify(JSON.stringify(value))
      .replace(/\$\{/g, () => '$${')
      .replace(/%\{/g, '%%{');
  const blocks = Object.entries(outputs).map(
    ([name, output]) =>
      `output "${name}" {\n  value     = jsondecode(${literal(output.value)})\n` +
      `  sensitive = ${output.sensitive === true}\n}\n`,
  );
  writeFileSync(join(directory, 'main.tf'), blocks.join('\n'));
  const run = promisify(execFile);
  const env = { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
  await run('terraform', ['init', '-input=false', '-no-color'], { cwd: directory, env });
  await run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: directory, env });
  return directory;
}
