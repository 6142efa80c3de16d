import { describe, expect, it } from 'vitest';
import type { DesiredState } from '../desired-state.ts';
import type { DeploymentRef, EnvironmentSettings } from '../github-settings.ts';
import type { ObservedEnvironment, ObservedState } from '../observe.ts';
import { CUSTOM_BRANCHES, planChanges, type Step } from '../plan.ts';

const MAIN: DeploymentRef = { name: 'main', type: 'branch' };
const RELEASE_TAGS: DeploymentRef = { name: 'v*', type: 'tag' };

const desired: DesiredState = {
  environments: [
    { name: 'staging', deploymentRefs: [MAIN], variables: { AWS_DEPLOY_ROLE_ARN: 'arn:new' } },
    { name: 'prod', reviewers: ['alice'], deploymentRefs: [MAIN], variables: {} },
    { name: 'release', deploymentRefs: [RELEASE_TAGS], variables: {} },
    { name: 'dev', variables: {} },
  ],
  repositoryVariables: { AWS_REGION: 'eu-west-1' },
  repositorySecrets: { ECR_API_URL: 'secret-url' },
  oidcSubjectClaimKeys: ['repo', 'context', 'job_workflow_ref'],
  tagRuleset: {
    name: 'tags',
    target: 'tag',
    enforcement: 'active',
    bypass_actors: [{ actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' }],
    conditions: { ref_name: { include: ['refs/tags/v*'], exclude: [] } },
    rules: [{ type: 'creation' }, { type: 'update' }, { type: 'deletion' }],
  },
};

function settings(overrides: Partial<EnvironmentSettings> = {}): EnvironmentSettings {
  return { waitTimer: 0, preventSelfReview: false, reviewers: [], branchRule: null, ...overrides };
}

function observed(
  environments: Record<string, Partial<ObservedEnvironment>>,
  overrides: Partial<ObservedState> = {},
): ObservedState {
  return {
    environments: new Map(
      Object.entries(environments).map(([name, env]) => [
        name,
        { settings: undefined, branchPolicies: [], variables: {}, secretNames: [], ...env },
      ]),
    ),
    repositoryVariables: {},
    oidcSubject: { useDefault: true, claimKeys: [] },
    tagRuleset: undefined,
    secrets: {},
    reviewers: [{ login: 'alice', id: 7 }],
    publicKey: { key_id: '1', key: '' },
    ...overrides,
  };
}

const brief = (steps: Step[]): string[] =>
  steps.map((s) => `${s.action} ${s.subject}${s.needs.length ? ` [needs ${s.needs.join(',')}]` : ''}`);

describe('planChanges', () => {
  it('on nothing: creates everything, in dependency order', () => {
    expect(brief(planChanges(desired, observed({})))).toEqual([
      'create environment staging',
      'create environment staging: branch policy main [needs environment:staging]',
      'create variable AWS_DEPLOY_ROLE_ARN (environment staging) [needs environment:staging]',
      'create environment prod',
      'create environment prod: branch policy main [needs environment:prod]',
      'create environment release',
      'create environment release: tag policy v* [needs environment:release]',
      'create environment dev',
      'change OIDC subject claim template (repository)',
      'create tag ruleset tags (repository)',
      'create variable AWS_REGION (repository)',
      'create secret ECR_API_URL (repository)',
    ]);
  });

  it('on a matching repository: leaves everything but the secret, which is replaced', () => {
    const steps = planChanges(
      desired,
      observed(
        {
          staging: {
            settings: settings({ branchRule: CUSTOM_BRANCHES }),
            branchPolicies: [{ id: 1, name: 'main', type: 'branch' }],
            variables: { AWS_DEPLOY_ROLE_ARN: 'arn:new' },
          },
          prod: {
            settings: settings({
              branchRule: CUSTOM_BRANCHES,
              reviewers: [{ type: 'User', id: 7, name: 'alice' }],
            }),
            branchPolicies: [{ id: 2, name: 'main', type: 'branch' }],
          },
          release: {
            settings: settings({ branchRule: CUSTOM_BRANCHES }),
            branchPolicies: [{ id: 3, name: 'v*', type: 'tag' }],
          },
          dev: { settings: settings({ branchRule: { protected_branches: true, custom_branch_policies: false } }) },
        },
        {
          repositoryVariables: { AWS_REGION: 'eu-west-1' },
          secrets: { ECR_API_URL: true },
          oidcSubject: { useDefault: false, claimKeys: ['repo', 'context', 'job_workflow_ref'] },
          // The same rules and actors in another order are the same ruleset.
          tagRuleset: {
            ...desired.tagRuleset,
            id: 9,
            rules: [{ type: 'deletion' }, { type: 'creation' }, { type: 'update' }],
          },
        },
      ),
    );
    expect(steps.filter((s) => s.action !== 'leave').map((s) => `${s.action} ${s.subject}`)).toEqual([
      'replace secret ECR_API_URL (repository)',
    ]);
  });

  it('corrects drift, keeping what it does not manage (wait timer, self-review, a team on dev)', () => {
    const steps = planChanges(
      desired,
      observed({
        staging: {
          settings: settings({ branchRule: CUSTOM_BRANCHES, waitTimer: 3 }),
          branchPolicies: [
            { id: 1, name: 'release/*', type: 'branch' },
            { id: 2, name: 'main', type: 'tag' },
          ],
          variables: { AWS_DEPLOY_ROLE_ARN: 'arn:old' },
        },
        prod: {
          settings: settings({ reviewers: [{ type: 'Team', id: 3, name: 'ops' }], preventSelfReview: true }),
        },
        // A branch named v1.2.3 is no release tag: the branch policy v* is not the tag policy v*.
        release: {
          settings: settings({ branchRule: CUSTOM_BRANCHES }),
          branchPolicies: [
            { id: 4, name: 'v*', type: 'branch' },
            { id: 5, name: 'main', type: 'branch' },
          ],
        },
        dev: { settings: settings({ reviewers: [{ type: 'Team', id: 3, name: 'ops' }] }) },
      }),
    );
    const bySubject = new Map(steps.map((s) => [s.subject, s]));
    expect(brief(steps.filter((s) => s.action !== 'leave'))).toEqual([
      'create environment staging: branch policy main',
      'delete environment staging: branch policy release/*',
      'delete environment staging: tag policy main',
      'change variable AWS_DEPLOY_ROLE_ARN (environment staging)',
      'change environment prod',
      'create environment prod: branch policy main [needs environment:prod]',
      'create environment release: tag policy v*',
      'delete environment release: branch policy v*',
      'delete environment release: branch policy main',
      'change OIDC subject claim template (repository)',
      'create tag ruleset tags (repository)',
      'create variable AWS_REGION (repository)',
      'create secret ECR_API_URL (repository)',
    ]);
    expect(bySubject.get('environment prod')).toMatchObject({
      details: ['required reviewers: team ops → alice', 'deployment branches: any branch → only branch main'],
      body: {
        wait_timer: 0,
        prevent_self_review: true,
        reviewers: [{ type: 'User', id: 7 }],
        deployment_branch_policy: CUSTOM_BRANCHES,
      },
    });
    expect(bySubject.get('environment release: tag policy v*')).toMatchObject({
      ref: RELEASE_TAGS,
      details: ['allow deployments from tag v*'],
    });
    expect(bySubject.get('environment release: branch policy v*')).toMatchObject({
      policy: { id: 4, name: 'v*', type: 'branch' },
      details: ['stop deployments from branch v*; only tag v* may deploy'],
    });
    expect(bySubject.get('environment dev')).toMatchObject({ action: 'leave' });
    expect(bySubject.get('variable AWS_DEPLOY_ROLE_ARN (environment staging)')?.details).toEqual(['arn:old → arn:new']);
  });

  it('orders the OIDC claim keys as given: the same keys in another order are another subject', () => {
    const steps = planChanges(
      desired,
      observed({}, { oidcSubject: { useDefault: false, claimKeys: ['context', 'repo', 'job_workflow_ref'] } }),
    );
    expect(steps.find((s) => s.kind === 'oidc-subject')).toMatchObject({
      action: 'change',
      details: ['context, repo, job_workflow_ref → repo, context, job_workflow_ref'],
    });
  });

  it('creates a generated secret only where it is absent, and never makes up its value while planning', () => {
    const generated: DesiredState = {
      ...desired,
      environments: [
        {
          name: 'dev',
          variables: {},
          generatedSecrets: [
            {
              name: 'PLAN_ENCRYPTION_KEY',
              description: 'a new random key',
              generate: () => {
                throw new Error('a value was made up while planning');
              },
            },
          ],
        },
      ],
    };
    const fresh = planChanges(generated, observed({}));
    expect(brief(fresh.filter((s) => s.kind === 'environment-secret'))).toEqual([
      'create secret PLAN_ENCRYPTION_KEY (environment dev) [needs environment:dev]',
    ]);
    expect(fresh.find((s) => s.kind === 'environment-secret')?.details).toEqual([
      'a new random key (value not shown), sealed with the environment key; never replaced',
    ]);
    const present = planChanges(
      generated,
      observed({ dev: { settings: settings(), secretNames: ['OTHER', 'PLAN_ENCRYPTION_KEY'] } }),
    );
    expect(present.find((s) => s.kind === 'environment-secret')).toMatchObject({ action: 'leave', details: [] });
  });

  it('never puts a secret value in the details', () => {
    const steps = planChanges(desired, observed({}));
    expect(JSON.stringify(steps.map((s) => s.details))).not.toContain('secret-url');
  });
});
