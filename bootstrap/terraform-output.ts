import { execFile } from 'node:child_process';

export interface CommandResult {
  /** Exit code, or undefined when the program could not be started at all. */
  code: number | undefined;
  stdout: string;
  stderr: string;
  /** Why the program could not be started (e.g. ENOENT). */
  startError?: string;
}

/** Runs a program without a shell; injected so tests can stand in for Terraform. */
export type RunCommand = (program: string, args: readonly string[]) => Promise<CommandResult>;

export const runCommand: RunCommand = (program, args) =>
  new Promise((resolve) => {
    execFile(program, [...args], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof error.code === 'string') {
        resolve({ code: undefined, stdout, stderr, startError: error.code });
        return;
      }
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });

/** Terraform's `Error: …` summary lines, else the last lines of what it printed. */
function terraformErrors(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.replace(/^[│╷╵\s]+/, '').trim());
  const errors = lines.filter((line) => line.startsWith('Error: '));
  const chosen = errors.length > 0 ? errors : lines.filter((line) => line !== '').slice(-3);
  return chosen.join(' ').replace(/\s+/g, ' ');
}

/**
 * `terraform output -json` in `dir`, as text; or a problem saying why it could not be read and what to do.
 */
export async function terraformOutputJson(
  dir: string,
  run: RunCommand,
): Promise<{ ok: true; json: string } | { ok: false; problem: string }> {
  const result = await run('terraform', [`-chdir=${dir}`, 'output', '-json', '-no-color']);
  if (result.code === undefined) {
    return {
      ok: false,
      problem:
        `--terraform-dir ${dir}: could not run terraform (${result.startError ?? 'not started'}); ` +
        'install Terraform on PATH, or save the outputs elsewhere and pass --terraform-outputs FILE',
    };
  }
  if (result.code !== 0) {
    return {
      ok: false,
      problem:
        `--terraform-dir ${dir}: \`terraform output -json\` failed (exit ${result.code}: ${terraformErrors(result.stderr)}); ` +
        'run `terraform init` there against the storage state first',
    };
  }
  if (result.stdout.trim() === '{}') {
    return {
      ok: false,
      problem:
        `--terraform-dir ${dir}: \`terraform output -json\` found no outputs; initialise the directory against the ` +
        'storage state (terraform init -backend-config=…/storage.backend.hcl) or apply the storage root first',
    };
  }
  return { ok: true, json: result.stdout };
}
