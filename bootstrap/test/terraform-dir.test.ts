import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { skipUnlessCi, terraformMissing } from '@berth/kit/testing/required-tool';
import { runBootstrap } from '../bootstrap.ts';
import { pathKindOnDisk } from '../dependencies.ts';
import { startFakeGitHub, type FakeGitHub } from './fake-github.ts';
import { fixtures, REPOSITORY, runAgainst } from './run-bootstrap.ts';

const work = mkdtempSync(join(tmpdir(), 'bootstrap-terraform-'));
const applied = join(work, 'applied');
const initialisedOnly = join(work, 'initialised-only');
const uninitialisedBackend = join(work, 'uninitialised-backend');

function terraform(dir: string, ...args: string[]): void {
  const result = spawnSync('terraform', [`-chdir=${dir}`, ...args, '-no-color'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`terraform ${args.join(' ')} failed: ${result.stderr}`);
}

const missingTerraform = terraformMissing();

beforeAll(() => {
  // A CLI configuration of our own, so the machine's settings cannot change what Terraform prints.
  const cliConfig = join(work, 'terraformrc');
  writeFileSync(cliConfig, '');
  vi.stubEnv('TF_CLI_CONFIG_FILE', cliConfig);
  vi.stubEnv('TF_IN_AUTOMATION', 'true');
  // No version check against checkpoint-api.hashicorp.com: the tests run offline.
  vi.stubEnv('CHECKPOINT_DISABLE', '1');
  cpSync(join(fixtures, 'storage-outputs-only'), applied, { recursive: true });
  cpSync(join(fixtures, 'storage-outputs-only'), initialisedOnly, { recursive: true });
  cpSync(join(fixtures, 'storage-outputs-only'), uninitialisedBackend, { recursive: true });
  writeFileSync(join(uninitialisedBackend, 'backend.tf'), 'terraform {\n  backend "s3" {}\n}\n');
  // Without terraform the tests that run it are one visible skip (below); the rest need only the directories.
  if (missingTerraform !== undefined) return;
  terraform(applied, 'init', '-input=false');
  terraform(applied, 'apply', '-input=false', '-auto-approve');
  terraform(initialisedOnly, 'init', '-input=false');
}, 60_000);

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(work, { recursive: true, force: true });
});

describe('--terraform-dir', () => {
  if (missingTerraform !== undefined) {
    it('needs terraform on PATH', (context) => skipUnlessCi(context, missingTerraform));
    return;
  }
  let fake: FakeGitHub;
  beforeEach(async () => {
    fake = await startFakeGitHub(REPOSITORY);
    fake.addUser('alice');
  });
  afterEach(async () => {
    expect(fake.violations).toEqual([]);
    await fake.close();
  });

  it('runs the real `terraform output -json` there and applies what it says', async () => {
    const result = await runAgainst(fake, [
      '--repository',
      REPOSITORY,
      '--terraform-dir',
      applied,
      '--reviewers',
      'alice',
    ]);

    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(fake.variable('staging', 'AWS_TERRAFORM_ROLE_ARN')).toBe(
      'arn:aws:iam::123456789012:role/berth-staging-terraform',
    );
    expect(fake.variable(undefined, 'AWS_BUILD_ROLE_ARN')).toBe('arn:aws:iam::123456789012:role/berth-build');
    expect(fake.openSecret('ECR_INVENTORY_URL')).toBe(
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth/inventory-service',
    );
  });

  it('explains a directory without outputs and one that was never initialised, writing nothing', async () => {
    const empty = await runAgainst(fake, ['--repository', REPOSITORY, '--terraform-dir', initialisedOnly]);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain(
      `--terraform-dir ${initialisedOnly}: \`terraform output -json\` in ${initialisedOnly} found no outputs: the ` +
        `state there is empty or not the applied one. Run \`terraform -chdir=${initialisedOnly} init ` +
        '-backend-config="$PWD/terraform/environments/storage.backend.hcl"` (from the repository root), or apply ' +
        'that root first.',
    );

    const broken = await runAgainst(fake, ['--repository', REPOSITORY, '--terraform-dir', uninitialisedBackend]);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain(
      `--terraform-dir ${uninitialisedBackend}: \`terraform output -json\` in ${uninitialisedBackend} failed (exit ` +
        'code 1: Error: Backend initialization required, please run "terraform init"): run `terraform ' +
        `-chdir=${uninitialisedBackend} init -backend-config=`,
    );
    expect(broken.err).toContain('and make sure this job can read the state.');
    expect(fake.requests).toEqual([]);
  });
});

describe('--terraform-dir without Terraform', () => {
  it('says how to go on when Terraform cannot be started, offering --terraform-outputs', async () => {
    const err: string[] = [];
    const code = await runBootstrap(
      ['--repository', REPOSITORY, '--terraform-dir', applied, '--reviewers', 'alice'],
      { GITHUB_TOKEN: 'unused' },
      {
        runTerraform: async () => ({ started: false, reason: 'spawn terraform ENOENT' }),
        pathKind: pathKindOnDisk,
        connect: () => {
          throw new Error('must not connect');
        },
        out: () => undefined,
        err: (line) => err.push(line),
      },
    );
    expect(code).toBe(2);
    expect(err).toContain(
      `  - --terraform-dir ${applied}: could not start terraform for \`terraform output -json\` in ${applied} ` +
        '(spawn terraform ENOENT): install Terraform on PATH (in a workflow, add hashicorp/setup-terraform before ' +
        'this step), or save the outputs elsewhere and pass --terraform-outputs FILE.',
    );
  });
});
