import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

// A test that needs a tool the machine may lack (Chromium, Terraform): on a developer machine its absence is a
// visible skip that says how to get the tool; under CI=true, where the suite must be complete, it is a failure.

/** Why `path` cannot be run, or undefined when it is an executable file. */
export function missingExecutable(path: string, howToGet: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return `${path} is not a file: ${howToGet}`;
    accessSync(path, constants.X_OK);
    return undefined;
  } catch {
    return `${path} is not an executable file: ${howToGet}`;
  }
}

/** The first executable `name` on PATH, or undefined. */
export function findOnPath(name: string, env: Record<string, string | undefined> = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && missingExecutable(join(dir, name), '') === undefined) return join(dir, name);
  }
  return undefined;
}

/** Why the tests that run `terraform` from PATH cannot, or undefined when they can. */
export function terraformMissing(env: Record<string, string | undefined> = process.env): string | undefined {
  return findOnPath('terraform', env) === undefined
    ? 'terraform is not on PATH: install Terraform 1.11 or newer (https://developer.hashicorp.com/terraform/install)'
    : undefined;
}

/** What a vitest test context offers for skipping. */
export interface SkippableContext {
  skip(note?: string): void;
}

/**
 * Ends the test: under CI=true by throwing (the tool is required there), elsewhere as a skip whose note is the reason,
 * also printed, so the skip is visible in the run's output. `what` names what would have run (default: this test).
 */
export function skipUnlessCi(
  context: SkippableContext,
  reason: string,
  env: Record<string, string | undefined> = process.env,
  what?: string,
): never {
  if (env.CI === 'true') throw new Error(`CI=true: ${what ?? 'this test'} must run, but ${reason}`);
  console.warn(what === undefined ? `skipped: ${reason}` : `skipped (${what}): ${reason}`);
  context.skip(reason);
  // context.skip throws to end the test; this line is never reached.
  throw new Error(`skipped: ${reason}`);
}

/** For a test that runs `terraform` from PATH: skips it (fails it under CI=true) when there is none. */
export function requireTerraform(
  context: SkippableContext,
  env: Record<string, string | undefined> = process.env,
): void {
  const missing = terraformMissing(env);
  if (missing !== undefined) skipUnlessCi(context, missing, env);
}
