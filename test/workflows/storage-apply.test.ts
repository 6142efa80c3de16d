import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlanJson } from '../../checks/terraform/plan-json.ts';
import { repositoryPlanStore, storagePlanOptions, TEST_TARGET } from '../../checks/terraform/repository-plans.ts';
import { prepareTerraform } from '../../checks/terraform/setup.ts';
import { createStepRunner } from './run-step';
import { asString, jobsOf, loadSource, repoRoot, type JobView, type StepView } from './workflow-files';
import { skipWithoutTerraform } from '../../checks/terraform/require-terraform.ts';

// The first storage apply runs on local state until the bucket it creates exists. A failure in between used to
// lose that state with the runner, orphaning the OIDC provider, the roles and the bucket: a re-run then failed on
// "already exists" for each of them.
const workflow = loadSource(join(repoRoot, '.github/workflows/storage-apply.yml'), 'workflow');
const applyJob = jobsOf(workflow).find((job) => job.id === 'apply') as JobView;
const runner = createStepRunner();
const work = mkdtempSync(join(tmpdir(), 'berth-storage-apply-'));
afterAll(() => {
  runner.dispose();
  rmSync(work, { recursive: true, force: true });
});

function step(name: string): StepView {
  const found = applyJob.steps.find((candidate) => candidate.raw.name === name);
  if (found === undefined) throw new Error(`storage-apply.yml's apply job has no step "${name}"`);
  return found;
}

const stepIndex = (name: string): number => applyJob.steps.indexOf(step(name));

const ACCOUNT_ARN = 'arn:aws:iam::123456789012';
const OIDC_ARN = `${ACCOUNT_ARN}:oidc-provider/token.actions.githubusercontent.com`;

/** `aws` as the adopt script calls it: EXISTING lists what the account has (`*`: everything), FOREIGN buckets of others. */
const fakeAws = `
name="$4"
exists() { [ "$EXISTING" = '*' ] || grep -qxF -- "$name" <<< "$EXISTING"; }
case "$1 $2" in
  'sts get-caller-identity') echo '${ACCOUNT_ARN}:user/admin' ;;
  's3api head-bucket')
    if grep -qxF -- "$name" <<< "\${FOREIGN:-}"; then echo 'An error occurred (403) when calling the HeadBucket operation: Forbidden' >&2; exit 254; fi
    exists || { echo 'An error occurred (404) when calling the HeadBucket operation: Not Found' >&2; exit 254; } ;;
  'ecr describe-repositories')
    exists || { echo "An error occurred (RepositoryNotFoundException) when calling the DescribeRepositories operation: The repository with name '$name' does not exist" >&2; exit 254; } ;;
  'iam get-role')
    if [ "$name" = "\${DENIED:-}" ]; then echo 'An error occurred (AccessDenied) when calling the GetRole operation' >&2; exit 254; fi
    exists || { echo 'An error occurred (NoSuchEntity) when calling the GetRole operation: not found' >&2; exit 254; } ;;
  'iam get-policy' | 'iam get-open-id-connect-provider')
    exists || { echo 'An error occurred (NoSuchEntity) when calling the operation: not found' >&2; exit 254; } ;;
  *) echo "unexpected aws call: $*" >&2; exit 2 ;;
esac`;

/** `terraform` as the step calls it: plan does nothing, show prints the plan, import is only recorded. */
const fakeTerraform = `case "$2" in show) cat "$PLAN_FIXTURE" ;; esac`;

function change(address: string, type: string, after: Record<string, unknown>, actions = ['create']): unknown {
  return { address, mode: 'managed', type, change: { actions, after } };
}

/** A plan of terraform/storage on an empty state, in `terraform show -json`'s shape. */
const emptyStatePlan = {
  format_version: '1.2',
  resource_changes: [
    change('module.state_bucket.aws_s3_bucket.this', 'aws_s3_bucket', { bucket: 'berth-terraform-state' }),
    change('module.state_bucket.aws_s3_bucket_versioning.this', 'aws_s3_bucket_versioning', {}),
    change('module.ecr.aws_ecr_repository.this["api-gateway"]', 'aws_ecr_repository', { name: 'berth/api-gateway' }),
    change('module.ecr.aws_ecr_repository.this["product-service"]', 'aws_ecr_repository', {
      name: 'berth/product-service',
    }),
    change('module.github_oidc[0].aws_iam_openid_connect_provider.github[0]', 'aws_iam_openid_connect_provider', {
      url: 'https://token.actions.githubusercontent.com',
    }),
    change('module.build_role[0].module.role.aws_iam_role.this', 'aws_iam_role', { name: 'berth-github-build' }),
    change('module.build_role[0].module.role.aws_iam_policy.this["push"]', 'aws_iam_policy', {
      name: 'berth-github-build-push',
      path: '/',
    }),
    change('module.environment_access["dev"].module.deploy_role.aws_iam_role.this', 'aws_iam_role', {
      name: 'berth-github-dev-deploy',
    }),
    // Not adoptable: a name Terraform picks, a change to something in the state, a data source.
    change('aws_iam_role.prefixed', 'aws_iam_role', { name: null }),
    change('aws_iam_role.kept', 'aws_iam_role', { name: 'berth-kept' }, ['update']),
    { address: 'data.aws_caller_identity.current', mode: 'data', type: 'aws_caller_identity', change: {} },
  ],
};

let plans = 0;
function adopt(plan: unknown, env: Record<string, string>) {
  plans += 1;
  const fixture = join(work, `plan-${plans}.json`);
  writeFileSync(fixture, JSON.stringify(plan));
  const summary = join(work, `summary-${plans}.md`);
  writeFileSync(summary, '');
  const run = runner.run(step('Adopt what already exists'), {
    env: { PLAN_FIXTURE: fixture, GITHUB_STEP_SUMMARY: summary, EXISTING: '', ...env },
    stubs: { aws: fakeAws, terraform: fakeTerraform },
  });
  const imports = run
    .calls('terraform')
    .filter((args) => args[1] === 'import')
    .map((args) => [args.at(-2), args.at(-1)]);
  return { ...run, imports, summary: readFileSync(summary, 'utf8') };
}

describe('storage-apply.yml adopts what a failed run left behind', () => {
  it('a re-run adopts the OIDC provider, roles, policies, repositories and bucket that exist but are not in state', () => {
    const run = adopt(emptyStatePlan, {
      EXISTING: [
        'berth-terraform-state',
        'berth/api-gateway',
        OIDC_ARN,
        'berth-github-build',
        `${ACCOUNT_ARN}:policy/berth-github-build-push`,
      ].join('\n'),
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.imports).toEqual([
      ['module.state_bucket.aws_s3_bucket.this', 'berth-terraform-state'],
      ['module.ecr.aws_ecr_repository.this["api-gateway"]', 'berth/api-gateway'],
      ['module.github_oidc[0].aws_iam_openid_connect_provider.github[0]', OIDC_ARN],
      ['module.build_role[0].module.role.aws_iam_role.this', 'berth-github-build'],
      ['module.build_role[0].module.role.aws_iam_policy.this["push"]', `${ACCOUNT_ARN}:policy/berth-github-build-push`],
    ]);
    for (const args of run.calls('terraform').filter((call) => call[1] === 'import')) {
      expect(args.slice(0, 4)).toEqual(['-chdir=terraform/storage', 'import', '-input=false', '-no-color']);
    }
    expect(run.summary).toContain('`module.github_oidc[0].aws_iam_openid_connect_provider.github[0] (');
    expect(run.stdout).toContain('Adopted 5 existing resource(s).');
  });

  it('a first run in an empty account imports nothing', () => {
    const run = adopt(emptyStatePlan, {});
    expect(run.status).toBe(0);
    expect(run.imports).toEqual([]);
  });

  it('a bucket name another account owns fails with what to change', () => {
    const run = adopt(emptyStatePlan, { FOREIGN: 'berth-terraform-state' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error title=Cannot adopt::bucket berth-terraform-state exists but is not this account',
    );
    expect(run.stdout).toContain('state_bucket_name');
  });

  it('any AWS error other than "not found" fails, rather than creating a duplicate', () => {
    const run = adopt(emptyStatePlan, { DENIED: 'berth-github-build' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('could not tell whether berth-github-build exists: An error occurred (AccessDenied)');
  });

  it('adopts before the plan that is applied, so that plan no longer creates what exists', () => {
    expect(stepIndex('Adopt what already exists')).toBeGreaterThan(
      stepIndex('terraform init (local state, first run)'),
    );
    expect(stepIndex('Adopt what already exists')).toBeLessThan(stepIndex('terraform plan'));
  });
});

describe('the first storage apply keeps its state when it fails', () => {
  const move = step('Move the first state into the bucket');
  const keep = step('Keep the first state');

  it('moves the state into the bucket and otherwise keeps it as an artifact, after a failed apply too', () => {
    const firstRunWithState =
      "always() && steps.bucket.outputs.bootstrap == 'true' && hashFiles('terraform/storage/terraform.tfstate') != ''";
    expect(move.raw.if).toBe(firstRunWithState);
    expect(keep.raw.if).toBe(firstRunWithState);
    expect(stepIndex('Move the first state into the bucket')).toBeGreaterThan(stepIndex('terraform apply'));
    expect(stepIndex('Keep the first state')).toBe(stepIndex('Move the first state into the bucket') + 1);
    expect(keep.uses).toMatch(/^actions\/upload-artifact@/);
    expect(keep.with).toMatchObject({ name: 'storage-first-state', path: 'terraform/storage/terraform.tfstate*' });
    expect(move.env.BUCKET).toBe('${{ steps.bucket.outputs.name }}');
  });

  function workspaceWithFirstState(): string {
    const workspace = mkdtempSync(join(work, 'workspace-'));
    mkdirSync(join(workspace, 'terraform/storage'), { recursive: true });
    mkdirSync(join(workspace, 'terraform/environments'), { recursive: true });
    writeFileSync(join(workspace, 'terraform/storage/bootstrap_override.tf'), 'terraform { backend "local" {} }\n');
    writeFileSync(join(workspace, 'terraform/storage/terraform.tfstate'), '{"version": 4}\n');
    return workspace;
  }

  it('with the bucket created, migrates the state into it and leaves nothing on the runner', () => {
    const workspace = workspaceWithFirstState();
    const run = runner.run(move, {
      cwd: workspace,
      env: { BUCKET: 'berth-terraform-state', BACKEND_CONFIG: 'terraform/environments/storage.backend.hcl' },
      stubs: { aws: 'exit 0', terraform: 'exit 0' },
    });
    expect(run.status).toBe(0);
    expect(run.calls('terraform')).toEqual([
      [
        '-chdir=terraform/storage',
        'init',
        '-input=false',
        '-migrate-state',
        '-force-copy',
        `-backend-config=${workspace}/terraform/environments/storage.backend.hcl`,
      ],
    ]);
    expect(existsSync(join(workspace, 'terraform/storage/terraform.tfstate'))).toBe(false);
    expect(existsSync(join(workspace, 'terraform/storage/bootstrap_override.tf'))).toBe(false);
  });

  it('without a bucket, keeps the state file for the artifact and says so', () => {
    const workspace = workspaceWithFirstState();
    const run = runner.run(move, {
      cwd: workspace,
      env: { BUCKET: 'berth-terraform-state', BACKEND_CONFIG: 'terraform/environments/storage.backend.hcl' },
      stubs: { aws: 'exit 254', terraform: 'exit 0' },
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('::warning title=State kept as an artifact::');
    expect(run.calls('terraform')).toEqual([]);
    expect(existsSync(join(workspace, 'terraform/storage/terraform.tfstate'))).toBe(true);
  });
});

describe('adoption against the real plan of terraform/storage', () => {
  const setup = prepareTerraform();
  if ('missing' in setup) {
    it('needs terraform and a provider mirror', (context) => skipWithoutTerraform(context, setup));
    return;
  }

  it('adopts every bucket, repository, OIDC provider, role and policy the storage root creates', async () => {
    // The IAM tests plan storage for the same target: whichever file asks first plans it for both.
    const { plan } = await repositoryPlanStore(setup, repoRoot).plan(storagePlanOptions(repoRoot, TEST_TARGET));
    const adoptable = [
      'aws_s3_bucket',
      'aws_ecr_repository',
      'aws_iam_openid_connect_provider',
      'aws_iam_role',
      'aws_iam_policy',
    ];
    const expected = ((plan as PlanJson).resource_changes ?? [])
      .filter((candidate) => adoptable.includes(candidate.type) && candidate.change.actions.join() === 'create')
      .map((candidate) => candidate.address);
    expect(expected.filter((address) => address.includes('aws_iam_openid_connect_provider'))).toHaveLength(1);
    expect(expected.filter((address) => address.includes('aws_s3_bucket.'))).toHaveLength(1);
    const run = adopt(plan, { EXISTING: '*' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.imports.map(([address]) => address).sort()).toEqual([...expected].sort());
    const ids = new Map(run.imports.map(([address, id]) => [address, id]));
    expect(ids.get('module.state_bucket.aws_s3_bucket.this')).toBe('berth-terraform-state');
    expect(ids.get('module.build_role[0].module.role.aws_iam_role.this')).toBe('berth-github-build');
    expect(asString([...ids.values()].find((id) => id?.includes(':oidc-provider/')))).toBe(OIDC_ARN);
  }, 300_000);
});
