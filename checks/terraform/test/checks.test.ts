import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { platformTestEnvironments, repositoryChecks, startChecks } from '../checks.ts';
import { createLimiter } from '../limiter.ts';
import { plannedResources, readDataSources, resourceAt, type PlanJson } from '../plan-json.ts';
import { skipWithoutTerraform } from '../require-terraform.ts';
import { runTerraform } from '../run.ts';
import { prepareTerraform, type TerraformSetup } from '../setup.ts';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

describe('repositoryChecks', () => {
  it('runs fmt, the module, storage and secrets suites, and platform once per environment', () => {
    const checks = repositoryChecks(repoRoot);
    expect(checks.map((check) => check.name).sort()).toEqual([
      'modules: terraform test',
      'platform (dev): terraform test',
      'platform (prod): terraform test',
      'platform (staging): terraform test',
      'platform variables: terraform test',
      'secrets: terraform test',
      'storage: terraform test',
      'terraform fmt -check -recursive',
    ]);
    const prod = checks.find((check) => check.name === 'platform (prod): terraform test');
    expect(prod?.args).toEqual([
      'test',
      '-no-color',
      '-var-file=../environments/prod.tfvars',
      '-filter=tests/contract.tftest.hcl',
      '-filter=tests/prod.tftest.hcl',
    ]);
  });

  it('runs every platform test file with at least one environment', () => {
    const environments = ['dev', 'prod', 'staging'];
    expect(platformTestEnvironments('contract.tftest.hcl', environments)).toEqual(environments);
    expect(platformTestEnvironments('staging.tftest.hcl', environments)).toEqual(['staging']);
    expect(platformTestEnvironments('academy.tftest.hcl', environments)).toEqual(['dev']);
    // Run on their own against platform's variables.tf (below), never with a whole-platform plan.
    expect(platformTestEnvironments('variables.tftest.hcl', environments)).toEqual([]);
  });

  it("runs the variable tests against platform's variables.tf alone, with the files the test file reads", () => {
    const variables = repositoryChecks(repoRoot).find((check) => check.name === 'platform variables: terraform test');
    expect(variables?.isolated?.paths).toEqual(
      expect.arrayContaining(['platform/variables.tf', 'platform/tests/variables.tftest.hcl', 'environments']),
    );
    expect(variables?.isolated?.paths.some((path) => path.startsWith('platform/main'))).toBe(false);
  });
});

describe('startChecks', () => {
  it('runs an isolated copy with the copies environment (its lock file has no checksums) and the tree with the other', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'start-checks-'));
    onTestFinished(() => rmSync(scratch, { recursive: true, force: true }));
    // A stand-in terraform that records which CLI configuration each command ran with.
    const log = join(scratch, 'calls.log');
    const binary = join(scratch, 'terraform');
    writeFileSync(
      binary,
      `#!/bin/sh\necho "$1 $TF_CLI_CONFIG_FILE" >> ${JSON.stringify(log)}\necho 'Success! 1 passed, 0 failed.'\n`,
    );
    chmodSync(binary, 0o755);
    const tree = join(scratch, 'tree');
    for (const root of ['whole', 'part']) {
      mkdirSync(join(tree, root), { recursive: true });
      writeFileSync(join(tree, root, '.terraform.lock.hcl'), '');
    }
    const setup: TerraformSetup = {
      binary,
      mirror: join(scratch, 'mirror'),
      cliConfigFile: 'with-cache.rc',
      pluginCacheDir: join(scratch, 'cache'),
      workDir: join(scratch, 'work'),
      env: { PATH: process.env.PATH, TF_CLI_CONFIG_FILE: 'with-cache.rc' },
      copyEnv: { PATH: process.env.PATH, TF_CLI_CONFIG_FILE: 'copies.rc' },
    };
    const started = startChecks(
      setup,
      [
        { name: 'whole', dir: join(tree, 'whole'), args: ['test'], init: true },
        {
          name: 'part',
          dir: join(tree, 'part'),
          args: ['test'],
          init: true,
          isolated: { treeRoot: tree, paths: ['part/.terraform.lock.hcl'] },
        },
      ],
      { shareProvider: false, limiter: createLimiter(1) },
    );
    expect((await started.outcomes.get('whole'))?.ok).toBe(true);
    expect((await started.outcomes.get('part'))?.ok).toBe(true);
    await started.close();
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'init with-cache.rc',
      'init copies.rc',
      'test with-cache.rc',
      'test copies.rc',
    ]);
  });
});

describe('createLimiter', () => {
  it('never runs more tasks at once than it has slots, and runs them all', async () => {
    const limit = createLimiter(2);
    let running = 0;
    let peak = 0;
    const task = async (value: number): Promise<number> => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return value;
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map((value) => limit(() => task(value))));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it('rejects a slot count that could never run anything', () => {
    expect(() => createLimiter(0)).toThrow('slots must be a whole number of at least 1, got 0');
  });
});

describe('plan JSON helpers', () => {
  const plan: PlanJson = {
    format_version: '1.2',
    terraform_version: '1.11.4',
    planned_values: {
      root_module: {
        resources: [{ address: 'aws_s3_bucket.a', mode: 'managed', type: 'aws_s3_bucket', name: 'a', values: {} }],
        child_modules: [
          {
            address: 'module.m',
            resources: [
              {
                address: 'module.m.aws_iam_role.r',
                mode: 'managed',
                type: 'aws_iam_role',
                name: 'r',
                values: { name: 'r' },
              },
            ],
          },
        ],
      },
    },
    prior_state: {
      values: {
        root_module: {
          resources: [
            {
              address: 'data.aws_caller_identity.current',
              mode: 'data',
              type: 'aws_caller_identity',
              name: 'current',
              values: { account_id: '111122223333' },
            },
          ],
        },
      },
    },
  };

  it('flattens resources of every module and finds them by address', () => {
    expect(plannedResources(plan).map((resource) => resource.address)).toEqual([
      'aws_s3_bucket.a',
      'module.m.aws_iam_role.r',
    ]);
    expect(resourceAt(plan, 'module.m.aws_iam_role.r').values).toEqual({ name: 'r' });
    expect(readDataSources(plan).map((resource) => resource.values.account_id)).toEqual(['111122223333']);
  });

  it('names the address it could not find', () => {
    expect(() => resourceAt(plan, 'aws_iam_role.missing')).toThrow('the plan has no resource aws_iam_role.missing');
  });
});

describe('why repositoryChecks runs no separate terraform validate', () => {
  it('every root configuration under terraform/ has a terraform test suite', () => {
    const terraform = join(repoRoot, 'terraform');
    const roots = readdirSync(terraform).filter((name) => existsSync(join(terraform, name, 'versions.tf')));
    expect(roots.sort()).toEqual(['modules', 'platform', 'secrets', 'storage']);
    for (const root of roots) {
      const tests = join(terraform, root, 'tests');
      expect(existsSync(tests) && readdirSync(tests).some((name) => name.endsWith('.tftest.hcl')), root).toBe(true);
    }
  });

  const setup = prepareTerraform();
  if ('missing' in setup) {
    it('needs Terraform', (context) => skipWithoutTerraform(context, setup, 'the validate-in-test check'));
    return;
  }
  it('terraform test fails on an error validate would report, in a resource no run plans', async () => {
    const root = mkdtempSync(join(setup.workDir, 'validates-'));
    onTestFinished(() => rmSync(setup.workDir, { recursive: true, force: true }));
    writeFileSync(
      join(root, 'main.tf'),
      'resource "terraform_data" "used" {}\n\nresource "terraform_data" "unused" {\n  count = 0\n  input = var.undeclared\n}\n',
    );
    mkdirSync(join(root, 'tests'));
    writeFileSync(join(root, 'tests', 'plan.tftest.hcl'), 'run "plans" {\n  command = plan\n}\n');
    const test = await runTerraform(setup, ['test', '-no-color'], { cwd: root, dataDir: join(root, '.terraform') });
    expect(test.exitCode).not.toBe(0);
    expect(test.stdout + test.stderr).toContain('Reference to undeclared input variable');
  });
});
