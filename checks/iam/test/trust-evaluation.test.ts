import { describe, expect, it } from 'vitest';
import { githubToken, subjectClaim, type JobContext } from '../github-token.ts';
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

const devOnly = trust(
  allowGitHub({
    StringEquals: {
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': 'repo:acme/berth:environment:dev',
    },
  }),
);

async function allows(policy: PolicyDocument, job: JobContext, options: { repo?: string; aud?: string } = {}) {
  const token = githubToken(options.repo ?? repository, job, options.aud);
  return (await evaluateTrust(policy, { roleArn, providerArn: provider, token })).allowed;
}

describe('subject claims', () => {
  it('are written as GitHub writes them', () => {
    expect(subjectClaim(repository, { kind: 'environment', name: 'prod' })).toBe('repo:acme/berth:environment:prod');
    expect(subjectClaim(repository, { kind: 'branch', name: 'main' })).toBe('repo:acme/berth:ref:refs/heads/main');
    expect(subjectClaim(repository, { kind: 'tag', name: 'v1' })).toBe('repo:acme/berth:ref:refs/tags/v1');
    expect(subjectClaim(repository, { kind: 'pull-request' })).toBe('repo:acme/berth:pull_request');
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
  const token = githubToken(repository, { kind: 'environment', name: 'dev' });

  it('reads only the GitHub keys, whatever their case', () => {
    const found = claimConditions(
      {
        StringEquals: { 'Token.Actions.GitHubUserContent.com:SUB': 'repo:acme/berth:environment:dev' },
        Bool: { 'aws:SecureTransport': 'true' },
      },
      'test',
    );
    expect(found).toEqual([{ operator: 'StringEquals', claim: 'sub', values: ['repo:acme/berth:environment:dev'] }]);
  });

  it.each([
    ['StringEquals', ['repo:acme/berth:environment:prod', 'repo:acme/berth:environment:dev'], true],
    ['StringEquals', ['repo:acme/berth:environment:prod'], false],
    ['StringNotEquals', ['repo:acme/berth:environment:prod'], true],
    ['StringNotEquals', ['repo:acme/berth:environment:dev'], false],
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
  it('allows the environment it names and refuses other environments, branches, pull requests and forks', async () => {
    expect(await allows(devOnly, { kind: 'environment', name: 'dev' })).toBe(true);
    expect(await allows(devOnly, { kind: 'environment', name: 'prod' })).toBe(false);
    expect(await allows(devOnly, { kind: 'branch', name: 'main' })).toBe(false);
    expect(await allows(devOnly, { kind: 'pull-request' })).toBe(false);
    expect(await allows(devOnly, { kind: 'environment', name: 'dev' }, { repo: 'mallory/berth' })).toBe(false);
  });

  it('refuses a token minted for another audience', async () => {
    expect(await allows(devOnly, { kind: 'environment', name: 'dev' }, { aud: 'https://github.com/acme' })).toBe(false);
  });

  it('lets the simulator refuse another principal or action', async () => {
    const otherProvider = trust({
      ...allowGitHub({
        StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/berth:environment:dev' },
      }),
      Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/gitlab.example.com' },
    });
    const otherAction = trust({
      ...allowGitHub({
        StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/berth:environment:dev' },
      }),
      Action: 'sts:AssumeRole',
    });
    expect(await allows(otherProvider, { kind: 'environment', name: 'dev' })).toBe(false);
    expect(await allows(otherAction, { kind: 'environment', name: 'dev' })).toBe(false);
  });

  it('a statement without claim conditions trusts every repository on GitHub', async () => {
    const open = trust(allowGitHub(undefined));
    expect(await allows(open, { kind: 'environment', name: 'dev' }, { repo: 'mallory/anything' })).toBe(true);
  });

  it('a wildcard subject lets every ref of the repository in, and only that repository', async () => {
    const wildcard = trust(
      allowGitHub({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/berth:*' } }),
    );
    expect(await allows(wildcard, { kind: 'pull-request' })).toBe(true);
    expect(await allows(wildcard, { kind: 'branch', name: 'feature' })).toBe(true);
    expect(await allows(wildcard, { kind: 'pull-request' }, { repo: 'acme/berth-fork' })).toBe(false);
  });

  it('a matching Deny statement wins over an Allow', async () => {
    const denied = trust(
      allowGitHub({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/berth:*' } }),
      {
        Sid: 'NoPullRequests',
        Effect: 'Deny',
        Principal: { Federated: provider },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/berth:pull_request' } },
      },
    );
    const token = githubToken(repository, { kind: 'pull-request' });
    const decision = await evaluateTrust(denied, { roleArn, providerArn: provider, token });
    expect(decision).toEqual({ allowed: false, reason: expect.stringContaining('statement NoPullRequests') });
    expect(await allows(denied, { kind: 'branch', name: 'main' })).toBe(true);
  });

  it('keeps the conditions the simulator knows, such as aws:SourceIp', async () => {
    const withIp = trust(
      allowGitHub({
        StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/berth:environment:dev' },
        IpAddress: { 'aws:SourceIp': '192.0.2.0/24' },
      }),
    );
    // The request carries no source address in range, so the simulator's half refuses it.
    expect(await allows(withIp, { kind: 'environment', name: 'dev' })).toBe(false);
  });

  it('says which statement decided', async () => {
    const token = githubToken(repository, { kind: 'environment', name: 'dev' });
    const decision = await evaluateTrust(devOnly, { roleArn, providerArn: provider, token });
    expect(decision).toEqual({ allowed: true, reason: `allowed by trust policy of ${roleArn}, statement 1` });
    const refused = await evaluateTrust(devOnly, {
      roleArn,
      providerArn: provider,
      token: githubToken(repository, { kind: 'branch', name: 'main' }),
    });
    expect(refused.reason).toContain('allows sub repo:acme/berth:ref:refs/heads/main');
  });
});
