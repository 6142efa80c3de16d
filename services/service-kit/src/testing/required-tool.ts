import { accessSync, constants, statSync } from 'node:fs';

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

/** What a vitest test context offers for skipping. */
export interface SkippableContext {
  skip(note?: string): void;
}

/**
 * Ends the test: under CI=true by throwing (the tool is required there), elsewhere as a skip whose note is the reason,
 * also printed, so the skip is visible in the run's output.
 */
export function skipUnlessCi(
  context: SkippableContext,
  reason: string,
  env: Record<string, string | undefined> = process.env,
): never {
  if (env.CI === 'true') throw new Error(`CI=true: this test must run, but ${reason}`);
  console.warn(`skipped: ${reason}`);
  context.skip(reason);
  // context.skip throws to end the test; this line is never reached.
  throw new Error(`skipped: ${reason}`);
}
