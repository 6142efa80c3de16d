import { describe, expect, it } from 'vitest';
import { githubToken, subjectClaim, type JobContext, type JobPlace } from '../github-token.ts';
import type { PolicyDocument, PolicyStatement } from '../policy-document.ts';
import {
  claimConditionHolds,
  claimConditions,
  evaluateTrust,
  stringLike,
  TrustEvaluationError,
} from '../trust-evaluation.ts';

const provider = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
const roleArn = 'arn:aws:iam::123456789012:role/berth-github-dev-deploy';
const repository = 'acme/berth';

function trust(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

function allowGitHub(condition: PolicyStatement['Condition']): PolicyStatement {
  return {
    Effect: 'Allow',
    Principal: { Federated: provider },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: condition,
  };
}

/** A job of `acme/berth` running deploy-environment.yml from main, in `place`. */
function job(place: JobPlace, workflow = 'deploy-environment.yml', workflowRef = 'refs/heads/main'): JobContext {
  return { ...place, workflow, workflowRef };
}

const inDev = job({ kind: 'environment', name: 'dev' });
const devSubject =
  'repo:acme/berth:environment:dev:job_workflow_ref:acme/berth/.github/workflows/deploy-environment.yml@refs/heads/main';

const devOnly = trust(
  allowGitHub({
    StringEquals: {
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': devSubject,
    },
  }),
);

async function allows(policy: PolicyDocument, job: JobContext, options: { repo?: string; aud?: string } = {}) {
  const token = githubToken(options.repo ?? repository, job, options.aud);
  return (await evaluateTrust(policy, { roleArn, providerArn: provider, token })).allowed;
}

describe('subject claims', () => {
  it('are written as GitHub writes them under the repo, context, job_workflow_ref template', () => {
    const workflows = 'job_workflow_ref:acme/berth/.github/workflows';
    expect(subjectClaim(repository, job({ kind: 'environment', name: 'prod' }))).toBe(
      `repo:acme/berth:environment:prod:${workflows}/deploy-environment.yml@refs/heads/main`,
    );
    expect(subjectClaim(repository, job({ kind: 'branch', name: 'main' }, 'deploy.yml'))).toBe(
      `repo:acme/berth:ref:refs/heads/main:${workflows}/deploy.yml@refs/heads/main`,
    );
    expect(subjectClaim(repository, job({ kind: 'tag', name: 'v1' }, 'release.yml', 'refs/tags/v1'))).toBe(
      `repo:acme/berth:ref:refs/tags/v1:${workflows}/release.yml@refs/tags/v1`,
    );
    expect(subjectClaim(repository, job({ kind: 'pull-request' }, 'plan-review.yml', 'refs/pull/7/merge'))).toBe(
      `repo:acme/berth:pull_request:${workflows}/plan-review.yml@refs/pull/7/merge`,
    );
  });

  it('name the reusable workflow, and the caller as repo, when another repository calls it', () => {
    const caller = { ...inDev, workflowRepository: 'acme/berth' };
    expect(subjectClaim('mallory/app', caller)).toBe(
      'repo:mallory/app:environment:dev:job_workflow_ref:acme/berth/.github/workflows/deploy-environment.yml@refs/heads/main',
    );
  });
});

describe('StringLike matching', () => {
  it.each([
    ['repo:acme/berth:*', 'repo:acme/berth:environment:dev', true],
    ['repo:acme/berth:*', 'repo:acme/berth2:environment:dev', false],
    ['repo:acme/berth:environment:de?', 'repo:acme/berth:environment:dev', true],
    ['repo:acme/berth:environment:de?', 'repo:acme/berth:environment:de', false],
    ['repo:acme/berth.x', 'repo:acme/berthXx', false],
    ['repo:acme/berth:environment:dev', 'repo:acme/berth:environment:DEV', false],
    ['*', '', true],
  ])('%s against %s is %s', (pattern, value, expected) => {
    expect(stringLike(pattern, value)).toBe(expected);
  });
});

describe('claim conditions', () => {
  const token = githubToken(repository, inDev);

  it('reads only the GitHub keys, whatever their case', () => {
    const found = claimConditions(
      {
        StringEquals: { 'Token.Actions.GitHubUserContent.com:SUB': devSubject },
        Bool: { 'aws:SecureTransport': 'true' },
      },
      'test',
    );
    expect(found).toEqual([{ operator: 'StringEquals', claim: 'sub', values: [devSubject] }]);
  });

  it.each([
    ['StringEquals', ['repo:acme/berth:environment:prod', devSubject], true],
    ['StringEquals', ['repo:acme/berth:environment:prod'], false],
    ['StringEquals', ['repo:acme/berth:environment:dev'], false],
    ['StringNotEquals', ['repo:acme/berth:environment:prod'], true],
    ['StringNotEquals', [devSubject], false],
    ['StringLike', ['repo:acme/berth:environment:*'], true],
    ['StringLike', ['repo:acme/berth:ref:*'], false],
    ['StringNotLike', ['repo:acme/berth:ref:*'], true],
    ['StringNotLike', ['repo:acme/*'], false],
  ] as const)('%s %j holds: %s', (operator, values, expected) => {
    expect(claimConditionHolds({ operator, claim: 'sub', values: [...values] }, token)).toBe(expected);
  });

  it('refuses what it would have to guess at, naming the statement', () => {
    const cases: [PolicyStatement['Condition'], RegExp][] = [
      [{ StringEqualsIgnoreCase: { 'token.actions.githubusercontent.com:sub': 'x' } }, /StringEqualsIgnoreCase on/],
      [{ 'ForAnyValue:StringLike': { 'token.actions.githubusercontent.com:sub': 'x' } }, /ForAnyValue:StringLike/],
      [{ StringEqualsIfExists: { 'token.actions.githubusercontent.com:sub': 'x' } }, /StringEqualsIfExists/],
      [{ StringEquals: { 'token.actions.githubusercontent.com:repository': 'acme/berth' } }, /only the sub and aud/],
      [{ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:${aws:username}' } }, /policy variable/],
    ];
    for (const [condition, message] of cases) {
      expect(() => claimConditions(condition, 'statement 1')).toThrow(TrustEvaluationError);
      expect(() => claimConditions(condition, 'statement 1')).toThrow(message);
    }
  });
});

describe('evaluateTrust', () => {
  it('allows the job it names and refuses other environments, branches, workflows, refs, pull requests and forks', async () => {
    expect(await allows(devOnly, inDev)).toBe(true);
    expect(await allows(devOnly, job({ kind: 'environment', name: 'prod' }))).toBe(false);
    expect(await allows(devOnly, job({ kind: 'branch', name: 'main' }))).toBe(false);
    expect(await allows(devOnly, job({ kind: 'environment', name: 'dev' }, 'terraform-apply.yml'))).toBe(false);
    expect(await allows(devOnly, job({ kind: 'environment', name: 'dev' }, undefined, 'refs/heads/feature'))).toBe(
      false,
    );
    expect(await allows(devOnly, job({ kind: 'pull-request' }, undefined, 'refs/pull/7/merge'))).toBe(false);
    expect(await allows(devOnly, inDev, { repo: 'mallory/berth' })).toBe(false);
  });

  it('refuses a token minted for another audience', async () => {
    expect(await allows(devOnly, inDev, { aud: 'https://github.com/acme' })).toBe(false);
  });

  it('lets the simulator refuse another principal or action', async () => {
    const otherProvider = trust({
      ...allowGitHub({
        StringEquals: { 'token.actions.githubusercontent.com:sub': devSubject },
      }),
      Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/gitlab.example.com' },
    });
    const otherAction = trust({
      ...allowGitHub({
        StringEquals: { 'token.actions.githubusercontent.com:sub': devSubject },
      }),
      Action: 'sts:AssumeRole',
    });
    expect(await allows(otherProvider, inDev)).toBe(false);
    expect(await allows(otherAction, inDev)).toBe(false);
  });

  it('a statement without claim conditions trusts every repository on GitHub', async () => {
    const open = trust(allowGitHub(undefined));
    expect(await allows(open, inDev, { repo: 'mallory/anything' })).toBe(true);
  });

  it('a wildcard subject lets every ref of the repository in, and only that repository', async () => {
    const wildcard = trust(
      allowGitHub({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/berth:*' } }),
    );
    const pullRequest = job({ kind: 'pull-request' }, 'ci.yml', 'refs/pull/7/merge');
    expect(await allows(wildcard, pullRequest)).toBe(true);
    expect(await allows(wildcard, job({ kind: 'branch', name: 'feature' }, 'ci.yml', 'refs/heads/feature'))).toBe(true);
    expect(await allows(wildcard, pullRequest, { repo: 'acme/berth-fork' })).toBe(false);
  });

  it("a pull request pattern admits only that workflow file at a pull request's merge ref", async () => {
    const pattern =
      'repo:acme/berth:pull_request:job_workflow_ref:acme/berth/.github/workflows/plan-review.yml@refs/pull/*/merge';
    const plans = trust(allowGitHub({ StringLike: { 'token.actions.githubusercontent.com:sub': pattern } }));
    expect(await allows(plans, job({ kind: 'pull-request' }, 'plan-review.yml', 'refs/pull/7/merge'))).toBe(true);
    expect(await allows(plans, job({ kind: 'pull-request' }, 'terraform-apply.yml', 'refs/pull/7/merge'))).toBe(false);
    expect(await allows(plans, job({ kind: 'branch', name: 'x' }, 'plan-review.yml', 'refs/heads/x'))).toBe(false);
    expect(
      await allows(plans, job({ kind: 'pull-request' }, 'plan-review.yml', 'refs/pull/7/merge'), {
        repo: 'mallory/berth',
      }),
    ).toBe(false);
  });

  it('a matching Deny statement wins over an Allow', async () => {
    const denied = trust(
      allowGitHub({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/berth:*' } }),
      {
        Sid: 'NoPullRequests',
        Effect: 'Deny',
        Principal: { Federated: provider },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/berth:pull_request:*' } },
      },
    );
    const token = githubToken(repository, job({ kind: 'pull-request' }, 'ci.yml', 'refs/pull/7/merge'));
    const decision = await evaluateTrust(denied, { roleArn, providerArn: provider, token });
    expect(decision).toEqual({ allowed: false, reason: expect.stringContaining('statement NoPullRequests') });
    expect(await allows(denied, job({ kind: 'branch', name: 'main' }, 'ci.yml'))).toBe(true);
  });

  it('keeps the conditions the simulator knows, such as aws:SourceIp', async () => {
    const withIp = trust(
      allowGitHub({
        StringEquals: { 'token.actions.githubusercontent.com:sub': devSubject },
        IpAddress: { 'aws:SourceIp': '192.0.2.0/24' },
      }),
    );
    // The request carries no source address in range, so the simulator's half refuses it.
    expect(await allows(withIp, inDev)).toBe(false);
  });

  it('says which statement decided', async () => {
    const token = githubToken(repository, inDev);
    const decision = await evaluateTrust(devOnly, { roleArn, providerArn: provider, token });
    expect(decision).toEqual({ allowed: true, reason: `allowed by trust policy of ${roleArn}, statement 1` });
    const refused = await evaluateTrust(devOnly, {
      roleArn,
      providerArn: provider,
      token: githubToken(repository, job({ kind: 'branch', name: 'main' }, 'deploy.yml')),
    });
    expect(refused.reason).toContain(
      'allows sub repo:acme/berth:ref:refs/heads/main:job_workflow_ref:acme/berth/.github/workflows/deploy.yml@refs/heads/main',
    );
  });
});
