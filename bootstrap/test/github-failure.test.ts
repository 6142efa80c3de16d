import { describe, expect, it } from 'vitest';
import { explainGitHubFailure, formatAcceptedPermissions } from '../github-failure.ts';

const context = {
  action: 'create environment prod',
  permission: 'Administration: write',
  repository: 'octo-org/berth',
  apiUrl: 'https://api.github.com',
};

function answered(status: number, data: unknown, headers: Record<string, string> = {}): unknown {
  return Object.assign(new Error('request failed'), { status, response: { status, headers, data } });
}

describe('formatAcceptedPermissions', () => {
  it('reads alternatives (;) and combinations (,) as GitHub sends them', () => {
    expect(formatAcceptedPermissions('administration=write')).toBe('"Administration" (write)');
    expect(formatAcceptedPermissions('repository_projects=write; organization_projects=admin')).toBe(
      '"Repository projects" (write), or "Organization projects" (admin)',
    );
    expect(formatAcceptedPermissions('actions=read,environments=read')).toBe(
      '"Actions" (read) and "Environments" (read)',
    );
  });
});

describe('explainGitHubFailure', () => {
  it('a 403 without the header names the permission the call is known to need', () => {
    const error = explainGitHubFailure(answered(403, { message: 'Must have admin rights to Repository.' }), context);
    expect(error.message).toBe(
      'the token may not create environment prod (403 Must have admin rights to Repository.). The call needs the ' +
        'repository permission "Administration: write": grant it to the token for octo-org/berth (fine-grained ' +
        'token: its settings → Repository permissions; classic token: the "repo" scope, held by a repository ' +
        'administrator) and run the command again',
    );
    expect(error.fatal).toBe(false);
  });

  it('treats rate limits, 401 and no answer as fatal; 404, 422 and 5xx as failures of one call', () => {
    expect(explainGitHubFailure(answered(403, { message: 'API rate limit exceeded' }), context)).toMatchObject({
      fatal: true,
      message: expect.stringContaining("GitHub's rate limit stopped the command"),
    });
    expect(explainGitHubFailure(answered(401, { message: 'Bad credentials' }), context).fatal).toBe(true);
    expect(explainGitHubFailure(Object.assign(new Error('ECONNREFUSED'), { status: 500 }), context)).toMatchObject({
      fatal: true,
      message:
        'could not reach GitHub at https://api.github.com to create environment prod (ECONNREFUSED); ' +
        'check GITHUB_API_URL and the network',
    });
    expect(explainGitHubFailure(answered(404, { message: 'Not Found' }), context)).toMatchObject({
      fatal: false,
      message: expect.stringContaining('octo-org/berth does not exist or the token cannot see it'),
    });
    expect(
      explainGitHubFailure(
        answered(422, { message: 'Validation Failed', errors: [{ message: 'name is invalid' }, 'too long'] }),
        context,
      ).message,
    ).toBe('GitHub refused to create environment prod (422 Validation Failed: name is invalid; too long)');
    expect(explainGitHubFailure(answered(502, { message: 'Bad Gateway' }), context)).toMatchObject({
      fatal: false,
      message: expect.stringContaining('GitHub failed to create environment prod (502 Bad Gateway) even after retries'),
    });
  });
});
