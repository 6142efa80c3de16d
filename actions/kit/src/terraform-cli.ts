import { getExecOutput } from '@actions/exec';
import { which } from '@actions/io';
import { ActionError } from './errors';

/** Runs `terraform output -json` in a directory and resolves its standard output. */
export type TerraformOutputCommand = (directory: string) => Promise<string>;

/**
 * `terraform output -json` through @actions/exec, silent because outputs may be secret. hashicorp/setup-terraform's
 * wrapper (its default) adds lines of its own to standard output; the real binary it installs beside it,
 * `terraform-bin`, is preferred when present.
 */
export const terraformOutputJson: TerraformOutputCommand = async (directory) => {
  const binary = (await which('terraform-bin', false)) || (await which('terraform', false));
  if (!binary) {
    throw new ActionError(
      `terraform is not on PATH, so the outputs of ${directory} cannot be read: add hashicorp/setup-terraform ` +
        'before this step, or pass the outputs with "terraform-outputs" instead of "terraform-dir".',
    );
  }
  const result = await getExecOutput(binary, ['output', '-json'], {
    cwd: directory,
    silent: true,
    ignoreReturnCode: true,
    env: { ...(process.env as Record<string, string>), TF_IN_AUTOMATION: '1', TF_INPUT: '0' },
  });
  if (result.exitCode !== 0) {
    const reason = result.stderr.trim().split('\n').slice(0, 12).join('\n') || `exit code ${result.exitCode}`;
    throw new ActionError(
      `\`terraform output -json\` in ${directory} failed (exit code ${result.exitCode}): ${reason}\n` +
        'Run `terraform init` there first (with the same backend configuration as the apply), ' +
        'and make sure the job can read the state.',
    );
  }
  return result.stdout;
};
