import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActionError } from '../src/errors';
import { runTerraformSilently, terraformOutputJson, type TerraformRun } from '../src/terraform-cli';

/** A runner that answers `result` and records the arguments it was given. */
function standIn(result: TerraformRun): { run: (args: readonly string[]) => Promise<TerraformRun>; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    run: async (args) => {
      calls.push([...args]);
      return result;
    },
  };
}

async function failureOf(promise: Promise<unknown>): Promise<ActionError> {
  const failure = await promise.catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ActionError);
  return failure as ActionError;
}

describe('terraformOutputJson', () => {
  it('runs `terraform -chdir=DIR output -json -no-color` and returns what it printed', async () => {
    const terraform = standIn({
      started: true,
      exitCode: 0,
      stdout: '{"a":{"value":1,"type":"number"}}\n',
      stderr: '',
    });
    await expect(terraformOutputJson('terraform/storage', { run: terraform.run })).resolves.toBe(
      '{"a":{"value":1,"type":"number"}}\n',
    );
    expect(terraform.calls).toEqual([['-chdir=terraform/storage', 'output', '-json', '-no-color']]);
  });

  it('says how to go on when Terraform cannot be started, offering the caller’s alternative', async () => {
    const terraform = standIn({ started: false, reason: 'neither terraform-bin nor terraform is on PATH' });
    const failure = await failureOf(
      terraformOutputJson('infra', { run: terraform.run, alternative: 'pass --terraform-outputs FILE' }),
    );
    expect(failure.message).toBe(
      'could not start terraform for `terraform output -json` in infra (neither terraform-bin nor terraform is on ' +
        'PATH): install Terraform on PATH (in a workflow, add hashicorp/setup-terraform before this step), or pass ' +
        '--terraform-outputs FILE.',
    );
  });

  it("quotes Terraform's `Error:` lines, not its boxes and warnings, when it fails", async () => {
    const stderr = [
      '╷',
      '│ Warning: Unable to open CLI configuration file',
      '╵',
      '╷',
      '│ Error: Backend initialization required, please run "terraform init"',
      '│ ',
      '│ Reason: Initial configuration of the requested backend "s3"',
      '╵',
    ].join('\n');
    const terraform = standIn({ started: true, exitCode: 1, stdout: '', stderr });
    const failure = await failureOf(terraformOutputJson('infra', { run: terraform.run, initialise: '`make init`' }));
    expect(failure.message).toBe(
      '`terraform output -json` in infra failed (exit code 1: Error: Backend initialization required, please run ' +
        '"terraform init"): run `make init` first, and make sure this job can read the state.',
    );
  });

  it('quotes the last lines Terraform printed when none is an `Error:` line', async () => {
    const stderr = 'zero\none\ntwo\n\nError handling -chdir option: chdir infra: no such file or directory\n';
    const terraform = standIn({ started: true, exitCode: 1, stdout: '', stderr });
    const failure = await failureOf(terraformOutputJson('infra', { run: terraform.run }));
    expect(failure.message).toBe(
      '`terraform output -json` in infra failed (exit code 1: one two Error handling -chdir option: chdir infra: no ' +
        'such file or directory): run `terraform init` there (with the backend configuration of the applied root) ' +
        'first, and make sure this job can read the state.',
    );
  });

  it('refuses `{}`: the state there is empty or not the applied one', async () => {
    const terraform = standIn({ started: true, exitCode: 0, stdout: '{}\n', stderr: '' });
    const failure = await failureOf(terraformOutputJson('infra', { run: terraform.run }));
    expect(failure.message).toBe(
      '`terraform output -json` in infra found no outputs: the state there is empty or not the applied one. Run ' +
        '`terraform init` there (with the backend configuration of the applied root), or apply that root first.',
    );
  });
});

describe('runTerraformSilently', () => {
  afterEach(() => vi.unstubAllEnvs());

  /** A directory on PATH holding shell scripts named after the given programs, each printing its name. */
  function pathWith(...programs: string[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'berth-fake-terraform-'));
    for (const program of programs) {
      const script = join(dir, program);
      writeFileSync(script, `#!/bin/sh\necho "${program} $* TF_IN_AUTOMATION=$TF_IN_AUTOMATION"\nexit 3\n`);
      chmodSync(script, 0o755);
    }
    return dir;
  }

  it("prefers setup-terraform's terraform-bin to its wrapper, and sets TF_IN_AUTOMATION", async () => {
    vi.stubEnv('PATH', `${pathWith('terraform', 'terraform-bin')}${delimiter}${process.env.PATH ?? ''}`);
    await expect(runTerraformSilently(['output', '-json'])).resolves.toEqual({
      started: true,
      exitCode: 3,
      stdout: 'terraform-bin output -json TF_IN_AUTOMATION=1\n',
      stderr: '',
    });
  });

  it('reports Terraform missing from PATH as not started', async () => {
    vi.stubEnv('PATH', pathWith());
    await expect(runTerraformSilently(['output', '-json'])).resolves.toEqual({
      started: false,
      reason: 'neither terraform-bin nor terraform is on PATH',
    });
  });
});
