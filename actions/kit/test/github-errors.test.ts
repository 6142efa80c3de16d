import { describe, expect, it } from 'vitest';
import { describeGitHubError } from '../src/github/errors';

const context = {
  action: 'write secret ECR_API_URL',
  subject: 'repository octo-org/berth-demo',
  permission: 'repository permission "Secrets: write"',
};

/** The shape of an Octokit RequestError that received an answer. */
function answered(status: number, data: unknown, headers: Record<string, string> = {}): unknown {
  return Object.assign(new Error('request failed'), { status, response: { status, headers, data } });
}

describe('describeGitHubError', () => {
  it('tells a network failure (no answer) from a GitHub 500', () => {
    const unreachable = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { status: 500 });
    expect(describeGitHubError(unreachable, context)).toBe(
      'could not reach GitHub to write secret ECR_API_URL (connect ECONNREFUSED 127.0.0.1:9); ' +
        'check "github-api-url" and the runner\'s network',
    );
    expect(describeGitHubError(answered(500, { message: 'Server Error' }), context)).toContain(
      'GitHub failed to write secret ECR_API_URL (500 Server Error) even after retries',
    );
  });

  it('says a 403 without the permissions header still names the needed permission and GITHUB_TOKEN', () => {
    const text = describeGitHubError(answered(403, { message: 'Resource not accessible by integration' }), context);
    expect(text).not.toContain('GitHub says the call needs');
    expect(text).toContain('Give the token repository permission "Secrets: write" on repository octo-org/berth-demo');
    expect(text).toContain('GITHUB_TOKEN can never write secrets');
  });

  it('treats an exhausted primary rate limit as a rate limit, not a permission problem', () => {
    const text = describeGitHubError(
      answered(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0' }),
      context,
    );
    expect(text).toContain("GitHub's rate limit stopped the action");
  });

  it('names a failure that is not an HTTP error as such', () => {
    expect(describeGitHubError(new Error('public key 1 from GitHub is not valid base64'), context)).toBe(
      'failed to write secret ECR_API_URL: public key 1 from GitHub is not valid base64',
    );
  });
});
