/**
 * The claims of a GitHub Actions OIDC token that AWS lets trust policies test, and how GitHub fills `sub` for
 * each kind of job (https://docs.github.com/actions/reference/openid-connect-reference#example-subject-claims).
 */

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience aws-actions/configure-aws-credentials requests. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

export interface GitHubToken {
  /** `repo:OWNER/NAME:environment:E`, `repo:OWNER/NAME:ref:refs/heads/B`, `repo:OWNER/NAME:pull_request`, … */
  sub: string;
  aud: string;
}

/** Where a job runs, which decides its `sub` claim: the environment wins over the ref when the job has one. */
export type JobContext =
  | { kind: 'environment'; name: string }
  | { kind: 'branch'; name: string }
  | { kind: 'tag'; name: string }
  | { kind: 'pull-request' };

export function subjectClaim(repository: string, job: JobContext): string {
  switch (job.kind) {
    case 'environment':
      return `repo:${repository}:environment:${job.name}`;
    case 'branch':
      return `repo:${repository}:ref:refs/heads/${job.name}`;
    case 'tag':
      return `repo:${repository}:ref:refs/tags/${job.name}`;
    case 'pull-request':
      return `repo:${repository}:pull_request`;
  }
}

export function githubToken(repository: string, job: JobContext, aud: string = STS_AUDIENCE): GitHubToken {
  return { sub: subjectClaim(repository, job), aud };
}

export function describeJob(repository: string, job: JobContext): string {
  switch (job.kind) {
    case 'environment':
      return `a job of ${repository} in environment ${job.name}`;
    case 'branch':
      return `a job of ${repository} on branch ${job.name} (no environment)`;
    case 'tag':
      return `a job of ${repository} on tag ${job.name} (no environment)`;
    case 'pull-request':
      return `a pull_request job of ${repository}`;
  }
}
