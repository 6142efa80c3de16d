import { skipUnlessCi, type SkippableContext } from '@berth/kit/testing/required-tool';
import type { TerraformUnavailable } from './setup.ts';

export type { SkippableContext };

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
): never {
  return skipUnlessCi(context, unavailable.missing, env, checks);
}
