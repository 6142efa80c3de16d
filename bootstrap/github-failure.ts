import { errorMessage } from '@berth/kit';
import { httpError } from '@berth/kit/github/errors';

/** What the command was doing when GitHub failed, to name the cause and the fix. */
export interface CallContext {
  /** E.g. `create environment prod`. */
  action: string;
  /** The fine-grained repository permission the call needs, e.g. `Administration: write`; undefined when public. */
  permission: string | undefined;
  /** `owner/name`. */
  repository: string;
  apiUrl: string;
}

/** A GitHub call that failed, with a message saying why and what to do. `fatal`: no later call can succeed. */
export class GitHubCallError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly fatal: boolean,
  ) {
    super(message);
    this.name = 'GitHubCallError';
  }
}

/** `administration=write; actions=read,environments=read` → `Administration (write), or Actions (read) and …`. */
export function formatAcceptedPermissions(header: string): string {
  const sets = header
    .split(';')
    .map((set) =>
      set
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '')
        .map((entry) => {
          const [name = '', level = ''] = entry.split('=').map((part) => part.trim());
          const title = name.replace(/_/g, ' ').replace(/^./, (first) => first.toUpperCase());
          return level ? `"${title}" (${level})` : `"${title}"`;
        })
        .join(' and '),
    )
    .filter((set) => set !== '');
  return sets.join(', or ');
}

function validationDetails(data: unknown): string {
  if (typeof data !== 'object' || data === null || !('errors' in data)) return '';
  const errors = (data as { errors: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return '';
  const parts = errors.map((e: unknown) =>
    typeof e === 'string'
      ? e
      : typeof e === 'object' && e !== null && 'message' in e
        ? String((e as { message: unknown }).message)
        : JSON.stringify(e),
  );
  return `: ${parts.join('; ')}`;
}

/** Turns whatever a GitHub call threw into a sentence: what failed, why, and what to do next. */
export function explainGitHubFailure(error: unknown, context: CallContext): GitHubCallError {
  const http = httpError(error);
  if (!http) return new GitHubCallError(`failed to ${context.action}: ${errorMessage(error)}`, undefined, false);
  const { status, message } = http;
  if (!http.responded) {
    return new GitHubCallError(
      `could not reach GitHub at ${context.apiUrl} to ${context.action} (${errorMessage(error)}); ` +
        'check GITHUB_API_URL and the network',
      undefined,
      true,
    );
  }
  if (status === 401) {
    return new GitHubCallError(
      `GitHub rejected the token in GITHUB_TOKEN (401 ${message}) trying to ${context.action}: it is invalid, ` +
        `expired or revoked. Create a new token for ${context.repository} with the permissions listed in ` +
        'docs/runbook.md and export it as GITHUB_TOKEN',
      status,
      true,
    );
  }
  const rateLimited = http.headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message);
  if ((status === 403 || status === 429) && rateLimited) {
    return new GitHubCallError(
      `GitHub's rate limit stopped the command trying to ${context.action} (${status} ${message}); ` +
        'run it again once the limit resets',
      status,
      true,
    );
  }
  if (status === 403) {
    const accepted = http.headers['x-accepted-github-permissions'];
    const needs = accepted
      ? `GitHub says the call needs the repository permission ${formatAcceptedPermissions(accepted)}`
      : context.permission
        ? `The call needs the repository permission "${context.permission}"`
        : 'GitHub did not say which permission is missing';
    return new GitHubCallError(
      `the token may not ${context.action} (403 ${message}). ${needs}: grant it to the token for ` +
        `${context.repository} (fine-grained token: its settings → Repository permissions; classic token: the ` +
        '"repo" scope, held by a repository administrator) and run the command again',
      status,
      false,
    );
  }
  if (status === 404) {
    return new GitHubCallError(
      `GitHub answered 404 trying to ${context.action}: ${context.repository} does not exist or the token cannot ` +
        'see it (GitHub answers 404, not 403, when a token lacks access). Check --repository and that the token ' +
        `covers ${context.repository}`,
      status,
      false,
    );
  }
  if (status === 422) {
    return new GitHubCallError(
      `GitHub refused to ${context.action} (422 ${message}${validationDetails(http.data)})`,
      status,
      false,
    );
  }
  if (status >= 500) {
    return new GitHubCallError(
      `GitHub failed to ${context.action} (${status} ${message}) even after retries; ` +
        'check https://www.githubstatus.com and run the command again',
      status,
      false,
    );
  }
  return new GitHubCallError(`GitHub answered ${status} trying to ${context.action}: ${message}`, status, false);
}
