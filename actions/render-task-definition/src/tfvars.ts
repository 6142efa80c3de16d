import { readFileSync } from 'node:fs';
import hcl from 'hcl2-parser';

/**
 * Reads a Terraform tfvars file into plain values. hcl2-parser returns `[object, error]`; its error carries
 * no message, so the problem names the file and what to run to see the exact location.
 */
export function readTfvars(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read tfvars file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
        'check the "environment" input or give the file with the "tfvars" input',
    );
  }
  const [parsed, error] = hcl.parseToObject(text) as [Record<string, unknown> | null, unknown];
  if (error || !parsed) {
    throw new Error(`tfvars file ${path} is not valid HCL: run \`terraform fmt ${path}\` to see where`);
  }
  return parsed;
}
