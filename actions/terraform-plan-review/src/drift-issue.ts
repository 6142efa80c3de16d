import { isByAuthor, type GitHub, type RepositoryRef } from './github';

export const DRIFT_LABEL = 'drift';

export interface DriftIssueRequest extends RepositoryRef {
  environment: string;
  /** The drift found, as the issue body (without the marker); undefined when there is none. */
  drift: string | undefined;
  /** Link to the run that looked, named in the comment that closes the issue. */
  runUrl: string;
  author: string;
}

export interface DriftIssueOutcome {
  action: 'opened' | 'updated' | 'unchanged' | 'closed' | 'none';
  number?: number;
  url?: string;
}

export function driftMarker(environment: string): string {
  return `<!-- berth:drift:${environment} -->`;
}

/**
 * One open issue per environment, found by its label and marker: opened when drift appears, its body updated
 * while it lasts, closed with a comment when a run finds none. Never one issue per run.
 */
export async function syncDriftIssue(github: GitHub, request: DriftIssueRequest): Promise<DriftIssueOutcome> {
  const { owner, repo, environment } = request;
  const marker = driftMarker(environment);
  const open = await github.paginate(github.rest.issues.listForRepo, {
    owner,
    repo,
    state: 'open',
    labels: DRIFT_LABEL,
    per_page: 100,
  });
  const issue = open.find(
    (candidate) =>
      !candidate.pull_request && isByAuthor(candidate, request.author) && candidate.body?.startsWith(marker),
  );
  if (request.drift === undefined) {
    if (!issue) return { action: 'none' };
    await github.rest.issues.createComment({
      owner,
      repo,
      issue_number: issue.number,
      body: `No drift in ${environment} any more ([run](${request.runUrl})): closing.`,
    });
    await github.rest.issues.update({
      owner,
      repo,
      issue_number: issue.number,
      state: 'closed',
      state_reason: 'completed',
    });
    return { action: 'closed', number: issue.number, url: issue.html_url };
  }
  const body = `${marker}\n${request.drift}`;
  if (!issue) {
    const created = await github.rest.issues.create({
      owner,
      repo,
      title: `Drift in ${environment}`,
      body,
      labels: [DRIFT_LABEL],
    });
    return { action: 'opened', number: created.data.number, url: created.data.html_url };
  }
  if (issue.body === body) return { action: 'unchanged', number: issue.number, url: issue.html_url };
  await github.rest.issues.update({ owner, repo, issue_number: issue.number, body });
  return { action: 'updated', number: issue.number, url: issue.html_url };
}
