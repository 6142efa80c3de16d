import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from './fake-github.ts';
import { fixtures, REPOSITORY, runAgainst, standardArgs, storageOutputsFile } from './run-bootstrap.ts';

const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth';
const ROLE = 'arn:aws:iam::123456789012:role/berth';
const NOTIFIER = 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws/';
const MAIN_ONLY = { protected_branches: false, custom_branch_policies: true };

let fake: FakeGitHub;

beforeEach(async () => {
  fake = await startFakeGitHub(REPOSITORY);
  fake.addUser('alice');
  fake.addUser('bob');
});

afterEach(async () => {
  // Every request the command sent, and every answer the fake gave, matched GitHub's OpenAPI description.
  expect(fake.violations).toEqual([]);
  await fake.close();
});

function expectNoSecretValues(text: string): void {
  expect(text).not.toContain(`${ECR}/api-gateway`);
  expect(text).not.toContain(`${ECR}/product-service`);
  expect(text).not.toContain(`${ECR}/inventory-service`);
}

describe('a fresh fork', () => {
  it('gets the five environments, their protection, the variables and the sealed secrets in one run', async () => {
    const result = await runAgainst(
      fake,
      standardArgs('alice', '--platform-outputs', `prod=${fixtures}/platform-outputs-prod.json`),
    );

    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(fake.environmentNames()).toEqual(['bootstrap', 'dev', 'prod', 'release', 'staging']);
    expect(fake.environment('dev')).toMatchObject({
      reviewers: [],
      preventSelfReview: false,
      branchRule: MAIN_ONLY,
      branchPolicies: ['branch:main'],
    });
    for (const name of ['staging', 'prod', 'bootstrap', 'release']) {
      expect(fake.environment(name)).toMatchObject({
        reviewers: ['alice'],
        branchRule: MAIN_ONLY,
        branchPolicies: [name === 'release' ? 'tag:v*' : 'branch:main'],
      });
    }
    for (const environment of ['dev', 'staging', 'prod']) {
      expect(fake.variable(environment, 'AWS_DEPLOY_ROLE_ARN')).toBe(`${ROLE}-${environment}-deploy`);
      expect(fake.variable(environment, 'AWS_TERRAFORM_ROLE_ARN')).toBe(`${ROLE}-${environment}-terraform`);
    }
    expect(fake.variable('prod', 'NOTIFIER_URL')).toBe(NOTIFIER);
    expect(fake.variableNames('dev')).toEqual(['AWS_DEPLOY_ROLE_ARN', 'AWS_TERRAFORM_ROLE_ARN']);
    expect(fake.variableNames('bootstrap')).toEqual([]);
    expect(fake.variableNames(undefined)).toEqual(['AWS_BUILD_ROLE_ARN', 'AWS_PLAN_ROLE_ARNS', 'AWS_REGION']);
    expect(JSON.parse(fake.variable(undefined, 'AWS_PLAN_ROLE_ARNS') ?? '')).toEqual({
      dev: `${ROLE}-dev-plan`,
      staging: `${ROLE}-staging-plan`,
      prod: `${ROLE}-prod-plan`,
    });
    expect(fake.variable(undefined, 'AWS_BUILD_ROLE_ARN')).toBe(`${ROLE}-build`);
    expect(fake.variable(undefined, 'AWS_REGION')).toBe('eu-west-1');
    // Opened with the fake's private key: sealed for this repository's key, with the right value.
    expect(fake.secretNames()).toEqual(['ECR_API_URL', 'ECR_INVENTORY_URL', 'ECR_PRODUCT_URL']);
    expect(fake.openSecret('ECR_API_URL')).toBe(`${ECR}/api-gateway`);
    expect(fake.openSecret('ECR_PRODUCT_URL')).toBe(`${ECR}/product-service`);
    expect(fake.openSecret('ECR_INVENTORY_URL')).toBe(`${ECR}/inventory-service`);

    expect(result.out).toContain(
      'created environment prod: required reviewers: alice; prevent self-review: on; deployment branches: only branch main',
    );
    expect(result.out).toContain('created environment staging: branch policy main');
    expect(result.out).toContain(`created variable AWS_REGION (repository): eu-west-1`);
    expect(result.out).toContain('created secret ECR_API_URL (repository): value not shown');
    expect(result.out).toContain(
      `${REPOSITORY} matches the desired state: 28 changes applied, 0 settings already as desired.`,
    );
    expectNoSecretValues(result.all);
    expectNoSecretValues(result.summary);
    expect(result.summary).toContain('| environment prod | create | applied |');
  });

  it('sends every environment setting explicitly, so nothing is reset by omission', async () => {
    await runAgainst(fake, standardArgs());
    const puts = fake.writes().filter((r) => r.template === '/repos/{owner}/{repo}/environments/{environment_name}');
    expect(puts.map((r) => r.path.split('/').pop())).toEqual(['dev', 'staging', 'prod', 'bootstrap', 'release']);
    expect(puts.find((r) => r.path.endsWith('/prod'))?.body).toEqual({
      wait_timer: 0,
      prevent_self_review: true,
      reviewers: [{ type: 'User', id: 5000 }],
      deployment_branch_policy: MAIN_ONLY,
    });
    expect(puts.find((r) => r.path.endsWith('/dev'))?.body).toEqual({
      wait_timer: 0,
      prevent_self_review: false,
      reviewers: [],
      deployment_branch_policy: MAIN_ONLY,
    });
  });
});

describe('the trust boundary', () => {
  const WRITING_ENVIRONMENTS = ['dev', 'staging', 'prod', 'bootstrap', 'release'];
  /** Every environment but release, whose jobs start from a release tag. */
  const MAIN_ENVIRONMENTS = ['dev', 'staging', 'prod', 'bootstrap'];
  const OIDC_SUBJECT = { use_default: false, include_claim_keys: ['repo', 'context', 'job_workflow_ref'] };

  it('a feature branch cannot deploy to any environment whose role can write, dev included', async () => {
    // An existing dev open to every branch, as earlier versions left it.
    fake.seedEnvironment('dev', { branchRule: null });

    const result = await runAgainst(fake, standardArgs());

    expect(result.code).toBe(0);
    for (const environment of WRITING_ENVIRONMENTS) {
      expect({ environment, feature: fake.mayDeploy(environment, 'refs/heads/feature/take-the-dev-role') }).toEqual({
        environment,
        feature: false,
      });
    }
    for (const environment of MAIN_ENVIRONMENTS) {
      expect({ environment, main: fake.mayDeploy(environment, 'refs/heads/main') }).toEqual({
        environment,
        main: true,
      });
    }
    expect(result.out).toContain('changed environment dev: deployment branches: any branch → only branch main');
  });

  it('a job from tag v1.2.3 may not deploy to dev, staging, prod or bootstrap', async () => {
    const result = await runAgainst(fake, standardArgs());

    expect(result.code).toBe(0);
    for (const environment of MAIN_ENVIRONMENTS) {
      expect({ environment, tag: fake.mayDeploy(environment, 'refs/tags/v1.2.3') }).toEqual({
        environment,
        tag: false,
      });
    }
  });

  it("a job's token names its workflow: the OIDC subject template is repo, context, job_workflow_ref", async () => {
    expect(fake.oidcSubject()).toEqual({ use_default: true });

    const result = await runAgainst(fake, standardArgs());

    expect(result.code).toBe(0);
    expect(fake.oidcSubject()).toEqual(OIDC_SUBJECT);
    expect(result.out).toContain(
      "changed OIDC subject claim template (repository): GitHub's default → repo, context, job_workflow_ref",
    );
  });

  it('a subject template without the workflow is corrected; a matching one is read and not written again', async () => {
    fake.seedOidcSubject({ use_default: false, include_claim_keys: ['repo', 'context'] });

    const first = await runAgainst(fake, standardArgs('alice', '--dry-run'));
    expect(first.out).toMatch(
      /change\s+OIDC subject claim template \(repository\)\s+repo, context → repo, context, job_workflow_ref/,
    );
    expect(fake.oidcSubject()).toEqual({ use_default: false, include_claim_keys: ['repo', 'context'] });

    expect((await runAgainst(fake, standardArgs())).code).toBe(0);
    expect(fake.oidcSubject()).toEqual(OIDC_SUBJECT);
    const before = fake.requests.length;

    const again = await runAgainst(fake, standardArgs());

    const oidcCalls = fake.requests.slice(before).filter((r) => r.path.endsWith('/actions/oidc/customization/sub'));
    expect(oidcCalls.map((r) => r.method)).toEqual(['GET']);
    expect(again.out).toMatch(/leave\s+OIDC subject claim template \(repository\)\s*\n/);
  });
});

describe('release tags', () => {
  const RULESET = 'Berth release tags';

  it('nobody but a repository admin can create, move or delete a v* tag', async () => {
    const result = await runAgainst(fake, standardArgs());

    expect(result.code).toBe(0);
    for (const operation of ['creation', 'update', 'deletion'] as const) {
      for (const role of ['write', 'maintain'] as const) {
        expect({ operation, role, v1: fake.mayChangeTag('v1', operation, role) }).toEqual({
          operation,
          role,
          v1: false,
        });
        expect({ operation, role, patch: fake.mayChangeTag('v1.2.3', operation, role) }).toEqual({
          operation,
          role,
          patch: false,
        });
      }
      expect(fake.mayChangeTag('v1', operation, 'admin')).toBe(true);
    }
    // Only release tags are held back.
    expect(fake.mayChangeTag('nightly', 'update', 'write')).toBe(true);
    expect(result.out).toContain(
      `created tag ruleset ${RULESET} (repository): refs/tags/v*: creation, update, deletion restricted; ` +
        'bypass: repository admins only',
    );
  });

  it('a job from tag v1.2.3 may deploy to release, which is reviewed', async () => {
    const result = await runAgainst(fake, standardArgs());

    expect(result.code).toBe(0);
    expect(fake.mayDeploy('release', 'refs/tags/v1.2.3')).toBe(true);
    expect(fake.environment('release')).toMatchObject({
      reviewers: ['alice'],
      preventSelfReview: true,
      branchRule: MAIN_ONLY,
      branchPolicies: ['tag:v*'],
    });
    expect(result.out).toContain('created environment release: tag policy v*: allow deployments from tag v*');
  });

  it('a job from a branch may not deploy to release: not feature, not main, not a branch named like a tag', async () => {
    expect((await runAgainst(fake, standardArgs())).code).toBe(0);

    for (const ref of ['refs/heads/feature/publish-from-here', 'refs/heads/main', 'refs/heads/v1.2.3']) {
      expect({ ref, release: fake.mayDeploy('release', ref) }).toEqual({ ref, release: false });
    }
  });

  it('an existing wrong-type policy (a branch policy named v*) is replaced by the tag policy', async () => {
    // A branch named v1.2.3 is no release tag: the tag ruleset does not hold branches, anyone who can push makes one.
    fake.seedEnvironment('release', {
      reviewers: ['alice'],
      preventSelfReview: true,
      branchRule: MAIN_ONLY,
      branchPolicies: [{ name: 'v*', type: 'branch' }],
    });
    expect(fake.mayDeploy('release', 'refs/heads/v1.2.3')).toBe(true);

    const result = await runAgainst(fake, standardArgs());

    expect(result.code).toBe(0);
    expect(fake.environment('release')?.branchPolicies).toEqual(['tag:v*']);
    expect(fake.mayDeploy('release', 'refs/heads/v1.2.3')).toBe(false);
    expect(fake.mayDeploy('release', 'refs/tags/v1.2.3')).toBe(true);
    expect(result.out).toContain('created environment release: tag policy v*: allow deployments from tag v*');
    expect(result.out).toContain(
      'deleted environment release: branch policy v*: stop deployments from branch v*; only tag v* may deploy',
    );
  });

  it('a release environment with the tag policy already set is read and not written again', async () => {
    expect((await runAgainst(fake, standardArgs())).code).toBe(0);
    const before = fake.requests.length;

    const again = await runAgainst(fake, standardArgs());

    expect(again.code).toBe(0);
    const writes = fake.requests
      .slice(before)
      .filter((r) => r.method !== 'GET' && r.path.includes('/environments/'))
      .map((r) => `${r.method} ${r.path}`);
    expect(writes).toEqual([]);
    expect(again.out).toMatch(/leave\s+environment release: tag policy v\*\s*\n/);
  });

  it('the ruleset is found by name and corrected when it drifted; left alone when it matches', async () => {
    const id = fake.seedRuleset({
      name: RULESET,
      target: 'tag',
      enforcement: 'evaluate',
      bypass_actors: [
        { actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' },
        { actor_id: 4, actor_type: 'RepositoryRole', bypass_mode: 'always' },
      ],
      conditions: { ref_name: { include: ['refs/tags/v1*'], exclude: [] } },
      rules: [{ type: 'deletion' }],
    });
    fake.seedRuleset({
      name: 'someone else',
      target: 'branch',
      enforcement: 'active',
      bypass_actors: [],
      conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
      rules: [{ type: 'deletion' }],
    });

    const result = await runAgainst(fake, standardArgs());

    expect(result.code).toBe(0);
    expect(result.out).toContain(
      `changed tag ruleset ${RULESET} (repository): enforcement: evaluate → active; ` +
        'tags: refs/tags/v1* → refs/tags/v*; restricted: deletion → creation, update, deletion; ' +
        'bypass: repository admins, RepositoryRole 4 → repository admins only',
    );
    expect(fake.rulesets().map((r) => r.id)).toEqual([id, id + 1]);
    expect(fake.mayChangeTag('v2', 'update', 'write')).toBe(false);
    const before = fake.requests.length;

    const again = await runAgainst(fake, standardArgs());

    expect(again.out).toMatch(/leave\s+tag ruleset Berth release tags \(repository\)\s*\n/);
    const writes = fake.requests.slice(before).filter((r) => r.method !== 'GET' && r.path.includes('/rulesets'));
    expect(writes).toEqual([]);
    expect(fake.rulesets().find((r) => r.name === 'someone else')?.rules).toEqual([{ type: 'deletion' }]);
  });
});

describe('reviewers', () => {
  const REVIEWED = ['staging', 'prod', 'bootstrap', 'release'];

  it('a reviewed environment cannot be left without reviewers: no --reviewers on a fresh fork is refused', async () => {
    const result = await runAgainst(fake, ['--repository', REPOSITORY, '--terraform-outputs', storageOutputsFile]);

    expect(result.code).toBe(2);
    expect(fake.writes()).toEqual([]);
    for (const environment of REVIEWED) {
      expect(result.err).toContain(
        `environment ${environment} has no required reviewers and --reviewers is not given: pass --reviewers ` +
          'LOGIN[,LOGIN] with the users who must approve its jobs',
      );
    }
    expect(result.err).toContain('Nothing was written.');
  });

  it('a reviewer cannot approve their own deployment: prevent self-review on every reviewed environment', async () => {
    fake.seedEnvironment('prod', { reviewers: ['bob'], preventSelfReview: false });

    const result = await runAgainst(fake, standardArgs());

    expect(result.code).toBe(0);
    for (const environment of REVIEWED) {
      expect({ environment, prevent: fake.environment(environment)?.preventSelfReview }).toEqual({
        environment,
        prevent: true,
      });
    }
    expect(fake.environment('dev')?.preventSelfReview).toBe(false);
    expect(result.out).toContain('prevent self-review: off → on');
  });

  it('existing reviewers are kept without --reviewers, and the plan says so loudly', async () => {
    for (const environment of REVIEWED) fake.seedEnvironment(environment, { reviewers: ['bob'] });

    const result = await runAgainst(fake, ['--repository', REPOSITORY, '--terraform-outputs', storageOutputsFile]);

    expect(result.code).toBe(0);
    for (const environment of REVIEWED) expect(fake.environment(environment)?.reviewers).toEqual(['bob']);
    expect(result.out).toContain(
      'WARNING: --reviewers is not given: the required reviewers of staging, prod, bootstrap and release are kept ' +
        'as they are. Pass --reviewers to set them.',
    );
    expect(result.out).toMatch(/environment prod\s+required reviewers kept: bob \(--reviewers not given\)/);
  });
});

describe('a second run with the same inputs', () => {
  it('writes nothing but the three secrets', async () => {
    expect((await runAgainst(fake, standardArgs())).code).toBe(0);
    const before = fake.requests.length;

    const second = await runAgainst(fake, standardArgs());

    expect(second.code).toBe(0);
    const writes = fake.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PUT /repos/${REPOSITORY}/actions/secrets/ECR_API_URL`,
      `PUT /repos/${REPOSITORY}/actions/secrets/ECR_PRODUCT_URL`,
      `PUT /repos/${REPOSITORY}/actions/secrets/ECR_INVENTORY_URL`,
    ]);
    expect(writes.map((r) => r.status)).toEqual([204, 204, 204]);
    expect(second.out).toMatch(/leave\s+environment prod\s*\n/);
    expect(second.out).toContain(
      '0 to create, 0 to change, 0 to delete, 3 secrets to replace, 24 to leave as they are.',
    );
    expect(second.out).toContain('replaced secret ECR_API_URL (repository): value not shown; written on every run');
    expect(fake.openSecret('ECR_PRODUCT_URL')).toBe(`${ECR}/product-service`);
  });
});

describe('drift', () => {
  it('is corrected: reviewers, branch rule, extra branch policies and changed variables, each change printed', async () => {
    fake.seedEnvironment('prod', {
      reviewers: ['bob'],
      waitTimer: 5,
      preventSelfReview: true,
      branchRule: { protected_branches: true, custom_branch_policies: false },
      variables: { AWS_DEPLOY_ROLE_ARN: `${ROLE}-shared-deploy`, AWS_TERRAFORM_ROLE_ARN: `${ROLE}-prod-terraform` },
    });
    fake.seedEnvironment('staging', {
      branchRule: MAIN_ONLY,
      branchPolicies: [{ name: 'main' }, { name: 'release/*' }, { name: 'v*', type: 'tag' }],
    });
    fake.seedVariable(undefined, 'AWS_REGION', 'us-west-2');

    const result = await runAgainst(fake, standardArgs());

    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(fake.environment('prod')).toEqual({
      reviewers: ['alice'],
      waitTimer: 5,
      preventSelfReview: true,
      branchRule: MAIN_ONLY,
      branchPolicies: ['branch:main'],
    });
    expect(fake.environment('staging')?.branchPolicies).toEqual(['branch:main']);
    expect(fake.variable('prod', 'AWS_DEPLOY_ROLE_ARN')).toBe(`${ROLE}-prod-deploy`);
    expect(fake.variable(undefined, 'AWS_REGION')).toBe('eu-west-1');
    expect(result.out).toContain(
      'changed environment prod: required reviewers: bob → alice; deployment branches: protected branches → only branch main',
    );
    expect(result.out).toContain('deleted environment staging: branch policy release/*');
    expect(result.out).toContain('deleted environment staging: tag policy v*');
    expect(result.out).toContain(
      `changed variable AWS_DEPLOY_ROLE_ARN (environment prod): ${ROLE}-shared-deploy → ${ROLE}-prod-deploy`,
    );
    expect(result.out).toContain('changed variable AWS_REGION (repository): us-west-2 → eu-west-1');
    expect(result.out).toMatch(/leave\s+variable AWS_TERRAFORM_ROLE_ARN \(environment prod\)/);
  });
});

describe('a storage root without OIDC roles (AWS Academy)', () => {
  it('sets up environments, region and secrets and leaves the role variables alone', async () => {
    fake.seedVariable(undefined, 'AWS_BUILD_ROLE_ARN', 'kept');

    const result = await runAgainst(fake, [
      '--repository',
      REPOSITORY,
      '--terraform-outputs',
      `${fixtures}/storage-outputs-without-roles.json`,
      '--reviewers',
      'alice',
    ]);

    expect(result.code).toBe(0);
    expect(result.out).toContain(
      'The storage root has no OIDC roles (build_role_arn and environment_role_arns are null)',
    );
    expect(fake.environmentNames()).toEqual(['bootstrap', 'dev', 'prod', 'release', 'staging']);
    expect(fake.variableNames('prod')).toEqual([]);
    expect(fake.variable(undefined, 'AWS_BUILD_ROLE_ARN')).toBe('kept');
    expect(fake.variable(undefined, 'AWS_REGION')).toBe('eu-west-1');
    expect(fake.secretNames()).toEqual(['ECR_API_URL', 'ECR_INVENTORY_URL', 'ECR_PRODUCT_URL']);
  });
});

describe('--dry-run', () => {
  it('reads, prints the plan and writes nothing on a fresh fork', async () => {
    const result = await runAgainst(fake, standardArgs('alice', '--dry-run'));

    expect(result.code).toBe(0);
    expect(fake.writes()).toEqual([]);
    expect(fake.environmentNames()).toEqual([]);
    expect(result.out).toContain(`Plan for ${REPOSITORY} (dry run: nothing is written):`);
    expect(result.out).toMatch(
      /create\s+environment prod\s+required reviewers: alice; prevent self-review: on; deployment branches: only branch main/,
    );
    expect(result.out).toMatch(
      /create\s+variable AWS_BUILD_ROLE_ARN \(repository\)\s+arn:aws:iam::123456789012:role\/berth-build/,
    );
    expect(result.out).toMatch(/create\s+secret ECR_API_URL \(repository\)\s+value not shown/);
    expect(result.out).toContain(
      '26 to create, 1 to change, 0 to delete, 0 secrets to replace, 0 to leave as they are.',
    );
    expect(result.out).not.toContain('Applying');
    expectNoSecretValues(result.all);
    expect(result.summary).toContain('(dry run)');
    expect(result.summary).toContain('| secret ECR_API_URL (repository) | create | dry run: not written |');
  });

  it('shows changes on a set-up repository without making them', async () => {
    expect((await runAgainst(fake, standardArgs())).code).toBe(0);
    fake.seedVariable('dev', 'AWS_DEPLOY_ROLE_ARN', 'arn:aws:iam::123456789012:role/old');
    const before = fake.requests.length;

    const result = await runAgainst(fake, standardArgs('alice,bob', '--dry-run'));

    expect(result.code).toBe(0);
    expect(fake.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(result.out).toMatch(/change\s+environment prod\s+required reviewers: alice → alice, bob/);
    expect(result.out).toMatch(
      /change\s+variable AWS_DEPLOY_ROLE_ARN \(environment dev\)\s+arn:aws:iam::123456789012:role\/old → /,
    );
    expect(result.out).toMatch(/replace\s+secret ECR_API_URL/);
    expect(fake.variable('dev', 'AWS_DEPLOY_ROLE_ARN')).toBe('arn:aws:iam::123456789012:role/old');
  });
});

describe('failures', () => {
  it('a bad token: a clear 401 message, nothing written', async () => {
    const result = await runAgainst(fake, standardArgs(), { GITHUB_TOKEN: 'github_pat_revoked' });

    expect(result.code).toBe(1);
    expect(fake.writes()).toEqual([]);
    expect(result.err).toContain(`bootstrap: could not read the current settings of ${REPOSITORY} (1 problem):`);
    expect(result.err).toContain(
      'GitHub rejected the token in GITHUB_TOKEN (401 Bad credentials) trying to look up GitHub user alice: ' +
        'it is invalid, expired or revoked.',
    );
    expect(result.err).toContain('Nothing was written.');
    // Fatal: no call after the first 401.
    expect(fake.requests).toHaveLength(1);
  });

  it('missing read permissions: every one named from X-Accepted-GitHub-Permissions at once, nothing written', async () => {
    fake.addToken('github_pat_no_secrets', { actions: 'read', administration: 'write', environments: 'write' });

    const result = await runAgainst(fake, standardArgs(), { GITHUB_TOKEN: 'github_pat_no_secrets' });

    expect(result.code).toBe(1);
    expect(fake.writes()).toEqual([]);
    expect(result.err).toContain(
      'the token may not read variable AWS_BUILD_ROLE_ARN of repository octo-org/berth-fork (403 Resource not ' +
        'accessible by personal access token). GitHub says the call needs the repository permission "Variables" (read)',
    );
    expect(result.err).toContain('the token may not read secret ECR_API_URL');
    expect(result.err).toContain('the repository permission "Secrets" (read)');
    expect(result.err).toContain('Nothing was written.');
  });

  it('a missing write permission: the 403 names it, the rest is applied and the report lists both', async () => {
    fake.addToken('github_pat_no_admin', {
      actions: 'read',
      environments: 'write',
      secrets: 'write',
      variables: 'write',
    });

    const result = await runAgainst(fake, standardArgs(), { GITHUB_TOKEN: 'github_pat_no_admin' });

    expect(result.code).toBe(1);
    expect(result.err).toContain(`${REPOSITORY} is only partly set up: 21 of 27 changes were not applied.`);
    expect(result.err).toContain(
      '  - change OIDC subject claim template (repository): the token may not set the OIDC subject claim template ' +
        `of repository ${REPOSITORY} (403 Resource not accessible by personal access token). GitHub says the call ` +
        'needs the repository permission "Actions" (write)',
    );
    expect(result.err).toContain(
      '  - create environment dev: the token may not create or update environment dev (403 Resource not accessible ' +
        'by personal access token). GitHub says the call needs the repository permission "Administration" (write)',
    );
    expect(result.err).toContain(
      '  - create variable AWS_DEPLOY_ROLE_ARN (environment dev): needs environment dev, which was not applied',
    );
    expect(result.err).toContain('Applied (6):');
    expect(result.err).toContain('  - created variable AWS_REGION (repository): eu-west-1');
    expect(result.err).toContain('  - created secret ECR_INVENTORY_URL (repository)');
    expect(fake.environmentNames()).toEqual([]);
    expect(fake.variable(undefined, 'AWS_REGION')).toBe('eu-west-1');
    expect(fake.openSecret('ECR_API_URL')).toBe(`${ECR}/api-gateway`);
    expect(result.summary).toMatch(/\| environment dev \| create \| failed: the token may not create/);
  });

  it('a refused reviewer: prod and bootstrap fail with what depends on them, the rest is applied; a re-run completes', async () => {
    fake.addUser('carol', { collaborator: false });

    const result = await runAgainst(fake, standardArgs('carol'));

    expect(result.code).toBe(1);
    expect(result.err).toContain('only partly set up: 14 of 27 changes were not applied.');
    expect(result.err).toContain(
      '  - create environment prod: GitHub refused to create or update environment prod ' +
        '(422 Reviewer carol must have at least read access to the repository.)',
    );
    expect(result.err).toContain(
      '  - create environment prod: branch policy main: needs environment prod, which was not applied',
    );
    expect(result.err).toContain(
      '  - create variable AWS_TERRAFORM_ROLE_ARN (environment prod): needs environment prod, which was not applied',
    );
    expect(fake.environmentNames()).toEqual(['dev']);
    expect(fake.variable('dev', 'AWS_DEPLOY_ROLE_ARN')).toBe(`${ROLE}-dev-deploy`);

    const retry = await runAgainst(fake, standardArgs());
    expect(retry.code).toBe(0);
    expect(fake.environment('prod')?.reviewers).toEqual(['alice']);
    expect(retry.out).toMatch(/leave\s+environment dev\s*\n/);
  });

  it('an unknown reviewer is found before anything is written', async () => {
    const result = await runAgainst(fake, standardArgs('alice,nobody-here'));

    expect(result.code).toBe(1);
    expect(fake.writes()).toEqual([]);
    expect(result.err).toContain('--reviewers: GitHub has no user "nobody-here"; check the spelling of the login');
  });

  it('an unreachable GitHub stops at once with a network message', async () => {
    const url = fake.url;
    await fake.close();
    fake = await startFakeGitHub(REPOSITORY);

    const result = await runAgainst(fake, standardArgs(), { GITHUB_API_URL: url });

    expect(result.code).toBe(1);
    expect(result.err).toContain(`could not reach GitHub at ${url} to look up GitHub user alice`);
    expect(result.err).toContain('check GITHUB_API_URL and the network');
  }, 30_000);
});
