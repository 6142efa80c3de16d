import type { TerraformUnavailable } from './setup.ts';

/** What a vitest test context offers for skipping. */
export interface SkippableContext {
  skip(note?: string): void;
}

/**
 * For the one test a suite registers when Terraform cannot run here: under CI=true, where the suite must be
 * complete, it fails; on a developer machine it is a skip whose note (also printed) says what to do.
 * `checks` names what would have run, for the failure message.
 */
export function skipWithoutTerraform(
  context: SkippableContext,
  unavailable: TerraformUnavailable,
  checks = 'the Terraform checks',
  env: Record<string, string | undefined> = process.env,
): void {
  if (env.CI === 'true') throw new Error(`CI=true: ${checks} must run, but ${unavailable.missing}`);
  console.warn(`skipped (${checks}): ${unavailable.missing}`);
  context.skip(unavailable.missing);
}
