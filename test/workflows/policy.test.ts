import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { policyRules } from './policy';
import { asMap, jobsOf, loadFixture, loadRepositorySources, type SourceFile } from './workflow-files';

const sources = loadRepositorySources();

function messagesOf(rule: string, file: SourceFile): string[] {
  const check = policyRules[rule];
  if (check === undefined) throw new Error(`no policy rule named ${rule}`);
  return check(file).map((found) => `${found.where}: ${found.message}`);
}

/** For each rule: the broken fixture(s) and one fragment of each message the rule must report for them. */
const brokenFixtures: Record<string, [fixture: string, expected: string[]][]> = {
  'pinned-actions': [
    [
      'pinned-actions.yml',
      ['actions/checkout@v4 is not pinned', 'has no "# vX.Y.Z" comment', 'its pin cannot be checked'],
    ],
  ],
  'top-level-permissions': [
    ['top-level-permissions.yml', ['must be read-only or empty']],
    ['top-level-permissions-missing.yml', ['no top-level permissions block']],
  ],
  'job-permissions': [
    [
      'job-permissions.yml',
      [
        'job writes: grants contents: write',
        'job idle-oidc: grants id-token: write but never',
        'job static-keys: grants id-token: write but never assumes an AWS role',
        'job no-oidc: signs in',
      ],
    ],
  ],
  'no-expressions-in-run': [
    ['no-expressions-in-run.yml', ['job build, step #1: run script contains']],
    ['composite-expression-in-run.yml', ['step #1: run script contains']],
  ],
  concurrency: [
    ['concurrency.yml', ['job deploy: changes an environment but has no', 'job apply: cancel-in-progress']],
  ],
  'timeout-minutes': [['timeout-minutes.yml', ['job build: job has no timeout-minutes']]],
  'no-secret-echo': [['no-secret-echo.yml', ['step #1: prints API_TOKEN', 'step #2: set -x traces']]],
  'forbidden-triggers': [['forbidden-triggers.yml', ['pull_request_target runs', 'workflow_run runs']]],
  'checkout-persist-credentials': [['checkout-persist-credentials.yml', ['without persist-credentials: false']]],
  'no-secrets-inherit': [['no-secrets-inherit.yml', ['job deploy: secrets: inherit']]],
  'region-in-one-place': [['region-in-one-place.yml', ['line 9: region eu-west-1 belongs in']]],
  'aws-sign-in': [['aws-sign-in.yml', ['use ./.github/actions/aws-credentials instead']]],
  'per-job-roles': [
    [
      'per-job-roles.yml',
      [
        'job build: assumes ${{ vars.AWS_DEPLOY_ROLE_ARN }}, but the job runs outside any environment: use ${{ vars.AWS_BUILD_ROLE_ARN }}',
        'job plan: assumes ${{ vars.AWS_DEPLOY_ROLE_ARN }}, but the job runs in environment dev and plans or applies Terraform: use ${{ vars.AWS_TERRAFORM_ROLE_ARN }}',
        'job deploy: assumes ${{ vars.AWS_TERRAFORM_ROLE_ARN }}, but the job runs in environment prod and runs no Terraform plan or apply: use ${{ vars.AWS_DEPLOY_ROLE_ARN }}',
        'job storage: assumes ${{ vars.AWS_TERRAFORM_ROLE_ARN }} in the bootstrap environment',
        'job keys-only: signs in with static keys only; pass role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}',
        'job caller-decides: assumes ${{ inputs.role-to-assume }}',
      ],
    ],
  ],
  'install-without-scripts': [
    [
      'install-without-scripts.yml',
      [
        'job deploy, step #1: npm ci without --ignore-scripts',
        'job deploy, step #3: npm install without --ignore-scripts',
        'job test, step #1: npm ci without --ignore-scripts',
      ],
    ],
  ],
  'node-versions': [
    [
      'node-versions.yml',
      [
        'job build, step actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020: node-version is 20; use 24',
        'job unset, step actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020: node-version is not set; use 24',
        'job test, step actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020: matrix.node is [20, 24]; use supported versions (22, 24) including 24',
      ],
    ],
  ],
  'pinned-images': [
    [
      'pinned-images.yml',
      [
        'job test: mysql:8 is not pinned to an image digest',
        'job test: memcached:1.6@sha256:abc is not pinned to an image digest',
        'job build: node:24 is not pinned to an image digest',
      ],
    ],
  ],
  'no-shared-cache': [
    [
      'no-shared-cache.yml',
      [
        'job deploy, step actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020: restores a shared cache (setup-node cache: npm) in a job that runs in a GitHub environment',
        'job package, step actions/cache@5a3ec84eff668545956fd18022155c47e93e2684: restores a shared cache (actions/cache) in a job that builds an artifact',
        'restores a shared cache (cache-from: type=gha) in a job that builds an image',
        'restores a shared cache (cache-to: type=gha) in a job that builds an image',
      ],
    ],
  ],
  'apply-saved-plan': [
    [
      'apply-saved-plan.yml',
      [
        'step #1: terraform apply -auto-approve',
        'step #2: terraform apply without a saved .tfplan',
        'step #3: terraform destroy applies an unseen plan',
      ],
    ],
  ],
};

describe('hardening policy', () => {
  it('has a broken fixture for every rule', () => {
    expect(Object.keys(brokenFixtures).sort()).toEqual(Object.keys(policyRules).sort());
  });

  describe.each(Object.keys(policyRules))('%s', (rule) => {
    it.each(sources.map((file) => [file.path, file] as const))('holds for %s', (_path, file) => {
      expect(messagesOf(rule, file)).toEqual([]);
    });

    it.each(brokenFixtures[rule] ?? [])('fires on fixtures/%s', (fixture, expected) => {
      const messages = messagesOf(rule, loadFixture(fixture));
      expect(messages).toHaveLength(expected.length);
      for (const fragment of expected) {
        expect(
          messages.some((message) => message.includes(fragment)),
          `${fragment}\n in ${messages.join('\n')}`,
        ).toBe(true);
      }
    });
  });
});

describe('pipeline-specific rules', () => {
  const byName = (name: string): SourceFile => {
    const file = sources.find((candidate) => candidate.path === `.github/workflows/${name}`);
    if (file === undefined) throw new Error(`.github/workflows/${name} is missing`);
    return file;
  };
  const concurrencyGroups = (file: SourceFile): unknown[] =>
    jobsOf(file)
      .filter((job) => 'environment' in job.raw)
      .map((job) => asMap(job.raw.concurrency).group);

  it('secrets, plan, apply and destroy of one environment share a concurrency group', () => {
    const apply = concurrencyGroups(byName('terraform-apply.yml'));
    const destroy = concurrencyGroups(byName('terraform-destroy.yml'));
    expect(apply).toEqual(Array(3).fill('terraform-${{ inputs.environment }}'));
    expect(destroy).toEqual(['terraform-${{ inputs.environment }}']);
  });

  it('the default region is written exactly once under .github', () => {
    const files = sources.filter((file) => file.text.includes('us-east-1')).map((file) => file.path);
    expect(files).toEqual(['.github/actions/aws-credentials/action.yml']);
    const composite = sources.find((file) => file.path === files[0]);
    expect(composite?.text.match(/us-east-1/g)).toHaveLength(1);
  });

  it('terraform/secrets, whose refresh reads secret values, is planned by no job with the plan role', () => {
    for (const name of ['plan-review.yml', 'drift.yml']) {
      expect(byName(name).text, name).not.toMatch(/terraform\/secrets|secrets\.backend\.hcl/);
    }
    // terraform-apply applies it before the platform plans (the platform looks its secrets up by name).
    const apply = parse(byName('terraform-apply.yml').text) as { jobs: Record<string, { needs?: string[] }> };
    expect(apply.jobs.plan?.needs).toContain('secrets');
  });

  it('terraform-destroy never touches the storage layer', () => {
    expect(byName('terraform-destroy.yml').text).not.toMatch(/terraform\/storage/);
  });
});
