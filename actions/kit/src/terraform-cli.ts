import { getExecOutput } from '@actions/exec';
import { which } from '@actions/io';
import { ActionError, errorMessage } from './errors';

/** What one Terraform command did: its exit code and output, or why it never started. */
export type TerraformRun =
  { started: true; exitCode: number; stdout: string; stderr: string } | { started: false; reason: string };

/** Runs Terraform with `args` (no shell); injected so tests can stand in for Terraform without a binary. */
export type TerraformRunner = (args: readonly string[]) => Promise<TerraformRun>;

/**
 * Terraform through @actions/exec, silent because outputs may be secret, with TF_IN_AUTOMATION set so it prints
 * no "next steps" meant for a person. hashicorp/setup-terraform's wrapper (its default) adds lines of its own to
 * standard output; the real binary it installs beside it, `terraform-bin`, is preferred when present.
 */
export const runTerraformSilently: TerraformRunner = async (args) => {
  const binary = (await which('terraform-bin', false)) || (await which('terraform', false));
  if (!binary) return { started: false, reason: 'neither terraform-bin nor terraform is on PATH' };
  try {
    const result = await getExecOutput(binary, [...args], {
      silent: true,
      ignoreReturnCode: true,
      env: { ...(process.env as Record<string, string>), TF_IN_AUTOMATION: '1', TF_INPUT: '0' },
    });
    return { started: true, exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  } catch (error) {
    return { started: false, reason: errorMessage(error) };
  }
};

export interface TerraformOutputJsonOptions {
  run?: TerraformRunner;
  /** How else the caller can be given the outputs, offered when Terraform cannot be started. */
  alternative?: string;
  /** The command that initialises the directory against the applied state, offered when the state is unreadable. */
  initialise?: string;
}

/** Terraform's `Error: …` summary lines, else the last lines it printed. */
function terraformErrors(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.replace(/^[│╷╵\s]+/, '').trim());
  const errors = lines.filter((line) => line.startsWith('Error: '));
  const chosen = errors.length > 0 ? errors : lines.filter((line) => line !== '').slice(-3);
  return chosen.join(' ').replace(/\s+/g, ' ');
}

/**
 * The text of `terraform output -json` in `directory`. Throws an ActionError naming what to do next when
 * Terraform cannot be started, when it fails (with Terraform's own `Error:` lines), and when it finds no outputs:
 * `{}` means the state there is empty or not the applied one, which no caller can use.
 */
export async function terraformOutputJson(
  directory: string,
  options: TerraformOutputJsonOptions = {},
): Promise<string> {
  const run = options.run ?? runTerraformSilently;
  const initialise =
    options.initialise ?? '`terraform init` there (with the backend configuration of the applied root)';
  const command = `\`terraform output -json\` in ${directory}`;
  const result = await run([`-chdir=${directory}`, 'output', '-json', '-no-color']);
  if (!result.started) {
    throw new ActionError(
      `could not start terraform for ${command} (${result.reason}): install Terraform on PATH ` +
        `(in a workflow, add hashicorp/setup-terraform before this step)` +
        (options.alternative ? `, or ${options.alternative}` : '') +
        '.',
    );
  }
  if (result.exitCode !== 0) {
    const errors = terraformErrors(result.stderr);
    throw new ActionError(
      `${command} failed (exit code ${result.exitCode}${errors ? `: ${errors}` : ''}): run ${initialise} first, ` +
        'and make sure this job can read the state.',
    );
  }
  if (result.stdout.trim() === '{}') {
    throw new ActionError(
      `${command} found no outputs: the state there is empty or not the applied one. Run ${initialise}, ` +
        'or apply that root first.',
    );
  }
  return result.stdout;
}
