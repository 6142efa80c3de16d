/**
 * The claims of a GitHub Actions OIDC token that AWS lets trust policies test, and how GitHub fills `sub` under
 * Berth's subject template (repo, context, job_workflow_ref; `npm run bootstrap` sets it on the repository):
 * `repo:OWNER/NAME:<context>:job_workflow_ref:OWNER/NAME/.github/workflows/<file>@<ref>`
 * (https://docs.github.com/actions/reference/openid-connect-reference#customizing-the-subject-claims-for-an-organization-or-repository).
 */

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience aws-actions/configure-aws-credentials requests. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

export interface GitHubToken {
  /** `repo:OWNER/NAME:environment:E:job_workflow_ref:OWNER/NAME/.github/workflows/F@refs/heads/main`, … */
  sub: string;
  aud: string;
}

/** Where a job runs, which decides the context part of `sub`: the environment wins over the ref when it has one. */
export type JobPlace =
  | { kind: 'environment'; name: string }
  | { kind: 'branch'; name: string }
  | { kind: 'tag'; name: string }
  | { kind: 'pull-request' };

/** A job as its token names it: where it runs and the workflow file (and ref of that file) it runs from. */
export type JobContext = JobPlace & {
  /** File name under .github/workflows, such as `terraform-apply.yml`. */
  workflow: string;
  /** The ref the workflow file is taken from, such as `refs/heads/main` or `refs/pull/7/merge`. */
  workflowRef: string;
  /** The repository holding the workflow file, when it is not the job's own (a caller of a reusable workflow). */
  workflowRepository?: string;
};

function contextOf(place: JobPlace): string {
  switch (place.kind) {
    case 'environment':
      return `environment:${place.name}`;
    case 'branch':
      return `ref:refs/heads/${place.name}`;
    case 'tag':
      return `ref:refs/tags/${place.name}`;
    case 'pull-request':
      return 'pull_request';
  }
}

export function subjectClaim(repository: string, job: JobContext): string {
  const workflowRepository = job.workflowRepository ?? repository;
  return (
    `repo:${repository}:${contextOf(job)}:job_workflow_ref:` +
    `${workflowRepository}/.github/workflows/${job.workflow}@${job.workflowRef}`
  );
}

export function githubToken(repository: string, job: JobContext, aud: string = STS_AUDIENCE): GitHubToken {
  return { sub: subjectClaim(repository, job), aud };
}

export function describeJob(repository: string, job: JobContext): string {
  const runs = `${job.workflow}@${job.workflowRef}`;
  switch (job.kind) {
    case 'environment':
      return `a job of ${repository} in environment ${job.name} running ${runs}`;
    case 'branch':
      return `a job of ${repository} on branch ${job.name} (no environment) running ${runs}`;
    case 'tag':
      return `a job of ${repository} on tag ${job.name} (no environment) running ${runs}`;
    case 'pull-request':
      return `a pull_request job of ${repository} running ${runs}`;
  }
}
