import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTerraformOutputs } from '@berth/kit';
import { afterAll, describe, expect, it } from 'vitest';
import { readDocumentedNames } from '../../test/workflows/cross-check.ts';
import { jobsOf, listWorkflowPaths, loadSource, repoRoot, type StepView } from '../../test/workflows/workflow-files.ts';
import { desiredState } from '../desired-state.ts';
import { parseOptions } from '../options.ts';
import { parseStorageOutputs } from '../storage-outputs.ts';
import { storageOutputsFile } from './run-bootstrap.ts';

const workflow = loadSource(join(repoRoot, '.github/workflows/bootstrap.yml'), 'workflow');
const job = jobsOf(workflow).find((candidate) => candidate.id === 'bootstrap');
const step = (name: string): StepView => {
  const found = job?.steps.find((candidate) => candidate.raw.name === name);
  if (!found?.run) throw new Error(`no run step "${name}" in bootstrap.yml`);
  return found;
};

const work = mkdtempSync(join(tmpdir(), 'bootstrap-workflow-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A stand-in program on PATH that records its arguments, one per line. */
function stub(name: string): string {
  const log = join(work, `${name}.log`);
  const path = join(work, 'bin', name);
  mkdirSync(join(work, 'bin'), { recursive: true });
  writeFileSync(path, `#!/usr/bin/env bash\nprintf '%s\\n' "$@" >> "${log}"\nprintf '%s\\n' '---' >> "${log}"\n`);
  chmodSync(path, 0o755);
  rmSync(log, { force: true });
  return log;
}

/** Runs a step's script as the runner would: bash -e, with the step's env and the stubs first on PATH. */
function runStep(name: string, env: Record<string, string>): { status: number | null; stdout: string } {
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step(name).run ?? ''], {
    env: {
      PATH: `${join(work, 'bin')}:${process.env.PATH ?? ''}`,
      RUNNER_TEMP: work,
      GITHUB_WORKSPACE: repoRoot,
      ...env,
    },
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout };
}

const calls = (log: string): string[][] =>
  existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('---\n')
        .filter((call) => call !== '')
        .map((call) => call.trimEnd().split('\n'))
    : [];

describe('.github/workflows/bootstrap.yml', () => {
  it('is started by hand only and runs in the bootstrap environment, one run at a time', () => {
    expect(Object.keys(workflow.doc.on as object)).toEqual(['workflow_dispatch']);
    expect(job?.raw.environment).toBe('bootstrap');
    expect(job?.raw.concurrency).toEqual({ group: 'bootstrap', 'cancel-in-progress': false });
    expect(step('Bootstrap').env.GITHUB_TOKEN).toBe('${{ secrets.BOOTSTRAP_TOKEN }}');
    expect(step('Install').run).toBe('npm ci --ignore-scripts');
  });

  it('passes the inputs to `npm run bootstrap` as options the command accepts', () => {
    const npm = stub('npm');
    const result = runStep('Bootstrap', {
      GITHUB_TOKEN: 'github_pat_x',
      REPOSITORY: 'octo-org/berth',
      REVIEWERS: 'alice,bob',
      PLATFORM_ENVIRONMENTS: 'prod,dev',
      DRY_RUN: 'true',
    });
    expect(result.status).toBe(0);
    const [args = []] = calls(npm);
    expect(args).toEqual([
      'run',
      '-s',
      'bootstrap',
      '--',
      '--repository',
      'octo-org/berth',
      '--terraform-dir',
      'terraform/storage',
      '--reviewers',
      'alice,bob',
      '--platform-outputs',
      `prod=${work}/platform-prod.json`,
      '--platform-outputs',
      `dev=${work}/platform-dev.json`,
      '--dry-run',
    ]);
    const parsed = parseOptions(args.slice(4), { GITHUB_TOKEN: 'x' }, (path) =>
      path.endsWith('.json') ? 'file' : 'directory',
    );
    expect(parsed.kind).toBe('options');
  });

  it('passes only the required options when the inputs are empty, and stops without a token', () => {
    const npm = stub('npm');
    const base = { REPOSITORY: 'o/r', REVIEWERS: '', PLATFORM_ENVIRONMENTS: '', DRY_RUN: 'false' };
    expect(runStep('Bootstrap', { ...base, GITHUB_TOKEN: 't' }).status).toBe(0);
    expect(calls(npm)).toEqual([
      ['run', '-s', 'bootstrap', '--', '--repository', 'o/r', '--terraform-dir', 'terraform/storage'],
    ]);
    const missing = runStep('Bootstrap', { ...base, GITHUB_TOKEN: '' });
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain('::error::Set the secret BOOTSTRAP_TOKEN in the bootstrap environment');
    expect(calls(npm)).toHaveLength(1);
  });

  it("reads each named environment's platform outputs and refuses an unknown environment", () => {
    const terraform = stub('terraform');
    expect(runStep('Read the platform outputs', { PLATFORM_ENVIRONMENTS: 'dev,prod' }).status).toBe(0);
    expect(calls(terraform)).toEqual([
      [
        '-chdir=terraform/platform',
        'init',
        '-input=false',
        '-reconfigure',
        `-backend-config=${repoRoot}/terraform/environments/dev.backend.hcl`,
      ],
      ['-chdir=terraform/platform', 'output', '-json'],
      [
        '-chdir=terraform/platform',
        'init',
        '-input=false',
        '-reconfigure',
        `-backend-config=${repoRoot}/terraform/environments/prod.backend.hcl`,
      ],
      ['-chdir=terraform/platform', 'output', '-json'],
    ]);
    expect(existsSync(join(work, 'platform-prod.json'))).toBe(true);

    const unknown = runStep('Read the platform outputs', { PLATFORM_ENVIRONMENTS: 'dev,qa' });
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toContain('::error::platform-environments: "qa" is not dev, staging or prod.');
  });
});

describe('the names the bootstrap writes', () => {
  const storage = parseStorageOutputs(readTerraformOutputs(storageOutputsFile), 'fixture');
  if (!storage.ok) throw new Error('fixture');
  const desired = desiredState(storage.value, { prod: 'https://notifier.example/' }, ['alice']);
  const documented = readDocumentedNames(readFileSync(join(repoRoot, 'docs/secrets.md'), 'utf8'));

  it('are each listed in docs/secrets.md as the right kind', () => {
    const variables = new Set([
      ...Object.keys(desired.repositoryVariables),
      ...desired.environments.flatMap((environment) => Object.keys(environment.variables)),
    ]);
    expect([...variables].sort()).toEqual([
      'AWS_BUILD_ROLE_ARN',
      'AWS_DEPLOY_ROLE_ARN',
      'AWS_PLAN_ROLE_ARNS',
      'AWS_REGION',
      'AWS_TERRAFORM_ROLE_ARN',
      'NOTIFIER_URL',
    ]);
    for (const name of variables) expect(documented.get(name)?.kind, name).toBe('variable');
    for (const name of Object.keys(desired.repositorySecrets)) expect(documented.get(name)?.kind, name).toBe('secret');
    const generated = desired.environments.flatMap((environment) => environment.generatedSecrets ?? []);
    for (const { name } of generated) expect(documented.get(name)?.kind, name).toBe('secret');
  });

  it('include every ECR URL secret a workflow reads', () => {
    const read = new Set(
      listWorkflowPaths().flatMap((path) =>
        [...readFileSync(path, 'utf8').matchAll(/\bsecrets\.(ECR_[A-Z_]+)/g)].map((match) => match[1] ?? ''),
      ),
    );
    expect([...read].sort()).toEqual(Object.keys(desired.repositorySecrets).sort());
  });
});

describe('release.yml and the release environment', () => {
  const release = loadSource(join(repoRoot, '.github/workflows/release.yml'), 'workflow');
  const storage = parseStorageOutputs(readTerraformOutputs(storageOutputsFile), 'fixture');
  if (!storage.ok) throw new Error('fixture');
  const environment = desiredState(storage.value, {}, ['alice']).environments.find((e) => e.name === 'release');

  it('starts only from pushed v*.*.* tags, each of which the tag policy v* admits; no branch, so no branch policy', () => {
    // A tag policy v* (fnmatch, * within a segment) admits every v*.*.* tag, which has no slash after the v.
    expect(release.doc.on).toEqual({ push: { tags: ['v*.*.*'] } });
    expect(environment?.deploymentRefs).toEqual([{ name: 'v*', type: 'tag' }]);
    expect(
      jobsOf(release)
        .filter((job) => job.raw.environment !== undefined)
        .map((job) => job.id),
    ).toEqual(['publish']);
  });
});
