import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from './fake-github.ts';
import { loadGitHubContract } from './openapi-contract.ts';

const ENVIRONMENT = '/repos/{owner}/{repo}/environments/{environment_name}';

describe("GitHub's OpenAPI description", () => {
  const contract = loadGitHubContract();

  it('is the api.github.com description from @octokit/openapi', () => {
    expect(contract.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(contract.hasOperation('PUT', ENVIRONMENT)).toBe(true);
    expect(contract.hasOperation('PATCH', ENVIRONMENT)).toBe(false);
  });

  it('accepts the request bodies GitHub documents and refuses the ones it does not', () => {
    expect(
      contract.requestProblems('PUT', ENVIRONMENT, {
        wait_timer: 0,
        prevent_self_review: false,
        reviewers: [{ type: 'User', id: 1 }],
        deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
      }),
    ).toEqual([]);
    expect(contract.requestProblems('PUT', ENVIRONMENT, { deployment_branch_policy: null, reviewers: null })).toEqual(
      [],
    );
    const problems = contract.requestProblems('PUT', ENVIRONMENT, {
      reviewers: [{ type: 'Person', id: 'alice' }],
      deployment_branch_policy: { protected_branches: false },
      branches: ['main'],
    });
    expect(problems.join('\n')).toContain('/reviewers/0/type must be equal to one of the allowed values');
    expect(problems.join('\n')).toContain('/reviewers/0/id must be integer');
    expect(problems.join('\n')).toContain("must have required property 'custom_branch_policies'");
    expect(problems.join('\n')).toContain('must NOT have additional properties {"additionalProperty":"branches"}');
    expect(
      contract.requestProblems('PUT', '/repos/{owner}/{repo}/actions/secrets/{secret_name}', {
        encrypted_value: 'not base64!',
        key_id: '1',
      }),
    ).toEqual([expect.stringContaining('/encrypted_value must match pattern')]);
    expect(contract.requestProblems('POST', '/repos/{owner}/{repo}/actions/variables', { name: 'A' })).toEqual([
      expect.stringContaining("must have required property 'value'"),
    ]);
  });

  it('checks responses: shape, and statuses GitHub never answers', () => {
    expect(contract.responseProblems('GET', ENVIRONMENT, 200, { id: 1, name: 'dev' })).toEqual(
      expect.arrayContaining([expect.stringContaining("must have required property 'node_id'")]),
    );
    expect(contract.responseProblems('POST', '/repos/{owner}/{repo}/actions/variables', 200, {})).toEqual([
      'response POST /repos/{owner}/{repo}/actions/variables: GitHub never answers 200',
    ]);
    expect(
      contract.responseProblems('PATCH', '/repos/{owner}/{repo}/actions/variables/{name}', 204, undefined),
    ).toEqual([]);
  });
});

describe('the fake GitHub', () => {
  let fake: FakeGitHub;
  beforeEach(async () => {
    fake = await startFakeGitHub('octo-org/berth');
  });
  afterEach(() => fake.close());

  const call = (
    method: string,
    path: string,
    body?: unknown,
    token = fake.token,
    redirect: 'follow' | 'manual' = 'follow',
  ) =>
    fetch(`${fake.url}${path}`, {
      method,
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect,
    });

  it('answers a body GitHub would refuse with 422 and records the violation', async () => {
    const response = await call('PUT', '/repos/octo-org/berth/environments/prod', {
      reviewers: [{ type: 'User' }],
      x: 1,
    });
    expect(response.status).toBe(422);
    expect(fake.violations).toEqual([
      'request PUT /repos/{owner}/{repo}/environments/{environment_name}: (body) must NOT have additional properties {"additionalProperty":"x"}',
    ]);
    expect(fake.environmentNames()).toEqual([]);
  });

  it('records calls to operations it does not serve', async () => {
    expect((await call('GET', '/repos/octo-org/berth/environments')).status).toBe(404);
    expect(fake.violations).toEqual(['the fake does not serve GET /repos/octo-org/berth/environments']);
  });

  it('answers a token without the permission 403 with X-Accepted-GitHub-Permissions, a bad token 401', async () => {
    fake.addToken('read-only', { actions: 'read' });
    const forbidden = await call('PUT', '/repos/octo-org/berth/environments/dev', {}, 'read-only');
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('x-accepted-github-permissions')).toBe('administration=write');
    expect((await call('GET', '/repos/octo-org/berth/environments/dev', undefined, 'nope')).status).toBe(401);
    expect((await call('GET', '/repos/other/repo/environments/dev')).status).toBe(404);
  });

  it('keeps the OIDC subject template: GitHub default first, a custom one only with valid claim keys', async () => {
    const sub = '/repos/octo-org/berth/actions/oidc/customization/sub';
    expect(await (await call('GET', sub)).json()).toEqual({ use_default: true });
    expect((await call('PUT', sub, { use_default: false, include_claim_keys: [] })).status).toBe(422);
    expect((await call('PUT', sub, { use_default: false, include_claim_keys: ['repo', 'job-workflow'] })).status).toBe(
      422,
    );
    expect((await call('PUT', sub, { use_default: false, include_claim_keys: ['repo', 'context'] })).status).toBe(201);
    expect(await (await call('GET', sub)).json()).toEqual({
      use_default: false,
      include_claim_keys: ['repo', 'context'],
    });
    expect((await call('PUT', sub, { include_claim_keys: ['repo'] })).status).toBe(422);
    expect(fake.violations).toEqual([
      "request PUT /repos/{owner}/{repo}/actions/oidc/customization/sub: (body) must have required property 'use_default' " +
        '{"missingProperty":"use_default"}',
    ]);
  });

  it('lets a ref deploy only where the deployment branch rule allows it: branches by branch policies, tags by tag policies', async () => {
    fake.seedEnvironment('open');
    fake.seedEnvironment('main-only', {
      branchRule: { protected_branches: false, custom_branch_policies: true },
      branchPolicies: [{ name: 'main' }, { name: 'release/*' }, { name: 'v*', type: 'tag' }],
    });
    fake.seedEnvironment('protected', { branchRule: { protected_branches: true, custom_branch_policies: false } });
    expect(fake.mayDeploy('open', 'refs/heads/feature/x')).toBe(true);
    expect(fake.mayDeploy('open', 'refs/tags/anything')).toBe(true);
    expect(fake.mayDeploy('missing', 'refs/heads/feature/x')).toBe(true);
    expect(fake.mayDeploy('main-only', 'refs/heads/main')).toBe(true);
    expect(fake.mayDeploy('main-only', 'refs/heads/release/1.2')).toBe(true);
    expect(fake.mayDeploy('main-only', 'refs/heads/release/1/2')).toBe(false);
    expect(fake.mayDeploy('main-only', 'refs/heads/mainline')).toBe(false);
    // A tag policy lets tags only, a branch policy branches only, even when the names match.
    expect(fake.mayDeploy('main-only', 'refs/tags/v1.2.3')).toBe(true);
    expect(fake.mayDeploy('main-only', 'refs/heads/v1.2.3')).toBe(false);
    expect(fake.mayDeploy('main-only', 'refs/tags/main')).toBe(false);
    expect(fake.mayDeploy('main-only', 'refs/tags/release/v1')).toBe(false);
    expect(fake.mayDeploy('protected', 'refs/heads/main')).toBe(false);
    expect(fake.mayDeploy('protected', 'refs/tags/v1')).toBe(false);
    expect(() => fake.mayDeploy('open', 'main')).toThrow('mayDeploy takes refs/heads/<branch> or refs/tags/<tag>');
  });

  it('keeps the type of a deployment policy: a tag policy is listed as a tag, and is another policy than a branch of its name', async () => {
    await call('PUT', '/repos/octo-org/berth/environments/release', {
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    });
    const policies = '/repos/octo-org/berth/environments/release/deployment-branch-policies';
    expect((await call('POST', policies, { name: 'v*', type: 'tag' })).status).toBe(200);
    expect((await call('POST', policies, { name: 'v*', type: 'branch' })).status).toBe(200);
    // The same name and type again: GitHub answers 303 to the policy that exists.
    expect((await call('POST', policies, { name: 'v*', type: 'tag' }, undefined, 'manual')).status).toBe(303);
    const listed = (await (await call('GET', policies)).json()) as {
      branch_policies: { name: string; type: string }[];
    };
    expect(listed.branch_policies.map(({ name, type }) => `${type}:${name}`)).toEqual(['tag:v*', 'branch:v*']);
    expect(fake.environment('release')?.branchPolicies).toEqual(['tag:v*', 'branch:v*']);
    expect(fake.violations).toEqual([]);
  });

  it("keeps environment secrets by name under the environment's own key, and needs Secrets and Environments for them", async () => {
    fake.seedEnvironment('dev');
    const secrets = '/repos/octo-org/berth/environments/dev/secrets';
    const repositoryKey = (await (await call('GET', '/repos/octo-org/berth/actions/secrets/public-key')).json()) as {
      key_id: string;
    };
    const environmentKey = (await (await call('GET', `${secrets}/public-key`)).json()) as { key_id: string };
    expect(environmentKey.key_id).not.toBe(repositoryKey.key_id);
    expect(
      (await call('PUT', `${secrets}/KEY`, { encrypted_value: 'c2VhbGVk', key_id: repositoryKey.key_id })).status,
    ).toBe(422);
    expect(
      (await call('PUT', `${secrets}/KEY`, { encrypted_value: 'c2VhbGVk', key_id: environmentKey.key_id })).status,
    ).toBe(201);
    expect(await (await call('GET', secrets)).json()).toMatchObject({ total_count: 1, secrets: [{ name: 'KEY' }] });
    fake.addToken('no-secrets', { environments: 'write' });
    const forbidden = await call('GET', secrets, undefined, 'no-secrets');
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('x-accepted-github-permissions')).toBe('secrets=read,environments=read');
    expect(fake.violations).toEqual([]);
  });

  it('accepts branch policies only on environments with custom branch policies, as GitHub documents', async () => {
    expect((await call('PUT', '/repos/octo-org/berth/environments/prod', {})).status).toBe(200);
    const policies = '/repos/octo-org/berth/environments/prod/deployment-branch-policies';
    expect((await call('POST', policies, { name: 'main', type: 'branch' })).status).toBe(404);
    await call('PUT', '/repos/octo-org/berth/environments/prod', {
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    });
    expect((await call('POST', policies, { name: 'main', type: 'branch' })).status).toBe(200);
    expect(fake.environment('prod')?.branchPolicies).toEqual(['branch:main']);
    const same = await call('PUT', '/repos/octo-org/berth/environments/prod', {
      deployment_branch_policy: { protected_branches: true, custom_branch_policies: true },
    });
    expect(same.status).toBe(422);
    expect(fake.violations).toEqual([]);
  });
});
