import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The tfvars file a render reads: the one named, or the environment's when it exists; none otherwise. */
export function tfvarsFileFor(environment: string, named?: string): string | undefined {
  if (named !== undefined) return named;
  const conventional = join('terraform', 'environments', `${environment}.tfvars`);
  return existsSync(conventional) ? conventional : undefined;
}

/**
 * Reads a Terraform tfvars file into plain values. hcl2-parser (3.8 MB of compiled Go) is imported here, on first
 * use, so the bundle loads it only when a render has tfvars to read. It returns `[object, error]`; its error
 * carries no message, so the problem names the file and what to run to see the exact location.
 */
export async function readTfvars(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read tfvars file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
        'check the "environment" input or give the file with the "tfvars" input',
    );
  }
  const { default: hcl } = await import('hcl2-parser');
  const [parsed, error] = hcl.parseToObject(text) as [Record<string, unknown> | null, unknown];
  if (error || !parsed) {
    throw new Error(`tfvars file ${path} is not valid HCL: run \`terraform fmt ${path}\` to see where`);
  }
  return parsed;
}
