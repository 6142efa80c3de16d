import type { RepositoryRef } from './github';

/** The parts of the workflow run the action names; from @actions/github's context, or given by a test. */
export interface RunContext {
  repository: RepositoryRef;
  /** The pull request of a pull_request event. */
  pullRequest?: { number: number; headRepository: string };
  serverUrl: string;
  runId: number;
}

export function runUrl(context: RunContext): string {
  return `${context.serverUrl}/${context.repository.owner}/${context.repository.repo}/actions/runs/${context.runId}`;
}

interface ToolkitContext {
  repo: { owner: string; repo: string };
  serverUrl: string;
  runId: number;
  payload: { pull_request?: { number?: number; head?: { repo?: { full_name?: string } } } };
}

export function runContextFrom(context: ToolkitContext): RunContext {
  const pr = context.payload.pull_request;
  return {
    repository: { owner: context.repo.owner, repo: context.repo.repo },
    pullRequest:
      pr?.number !== undefined
        ? { number: pr.number, headRepository: pr.head?.repo?.full_name ?? 'an unknown fork' }
        : undefined,
    serverUrl: context.serverUrl,
    runId: context.runId,
  };
}
