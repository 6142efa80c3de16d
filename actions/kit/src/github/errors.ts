import { errorMessage } from '../errors';

/** What the action was doing when GitHub failed, to name the cause and the fix. */
export interface GitHubErrorContext {
  /** E.g. `write secret ECR_API_URL`. */
  action: string;
  /** E.g. `repository octo-org/berth-demo`. */
  subject: string;
  /** The fine-grained permission the call needs, e.g. `repository permission "Secrets: write"`. */
  permission: string;
}

interface HttpErrorShape {
  status: number;
  message: string;
  headers: Record<string, string | undefined>;
  data: unknown;
  /** False when no answer arrived (DNS, refused connection, TLS): Octokit then reports status 500. */
  responded: boolean;
}

/** The HTTP status, headers and body of an Octokit RequestError, without depending on its class. */
export function httpError(error: unknown): HttpErrorShape | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  const { status, response } = error as { status: unknown; response?: { headers?: unknown; data?: unknown } };
  if (typeof status !== 'number') return undefined;
  const headers = (response?.headers ?? {}) as Record<string, string | undefined>;
  const data = response?.data;
  const apiMessage =
    typeof data === 'object' && data !== null && 'message' in data
      ? String((data as { message: unknown }).message)
      : '';
  return { status, message: apiMessage || errorMessage(error), headers, data, responded: response !== undefined };
}

export function httpStatus(error: unknown): number | undefined {
  return httpError(error)?.status;
}

/** A sentence for the job log: what failed, why, and what to do next. */
export function describeGitHubError(error: unknown, context: GitHubErrorContext): string {
  const http = httpError(error);
  if (!http) return `failed to ${context.action}: ${errorMessage(error)}`;
  if (!http.responded) {
    return `could not reach GitHub to ${context.action} (${errorMessage(error)}); check "github-api-url" and the runner's network`;
  }
  const { status, message } = http;
  if (status === 401) {
    return (
      `GitHub rejected the token (401 ${message}) trying to ${context.action}: it is invalid, expired or revoked. ` +
      'Issue a new fine-grained personal access token or GitHub App installation token and update the secret passed as "token"'
    );
  }
  if ((status === 403 || status === 429) && isRateLimit(http)) {
    return `GitHub's rate limit stopped the action trying to ${context.action} (${status} ${message}); run the job again later`;
  }
  if (status === 403) {
    const accepted = http.headers['x-accepted-github-permissions'];
    return (
      `the token may not ${context.action} (403 ${message}). ` +
      (accepted ? `GitHub says the call needs: ${accepted}. ` : '') +
      `Give the token ${context.permission} on ${context.subject}. ` +
      "The workflow's own GITHUB_TOKEN can never write secrets or variables: pass a fine-grained personal access token " +
      'or a GitHub App installation token'
    );
  }
  if (status === 404) {
    return (
      `${context.subject} was not found trying to ${context.action} (404) — or the token cannot see it: ` +
      'GitHub answers 404, not 403, when a token lacks access. ' +
      `Check the name, and that the token covers ${context.subject} with ${context.permission}`
    );
  }
  if (status === 422) {
    return `GitHub refused to ${context.action} (422 ${message}${validationDetails(http.data)})`;
  }
  if (status >= 500) {
    return `GitHub failed to ${context.action} (${status} ${message}) even after retries; check https://www.githubstatus.com and run the job again`;
  }
  return `GitHub answered ${status} trying to ${context.action}: ${message}`;
}

function isRateLimit(http: HttpErrorShape): boolean {
  return http.headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(http.message);
}

/** The `errors` array of a 422 body, which says which field was refused. */
function validationDetails(data: unknown): string {
  if (typeof data !== 'object' || data === null || !('errors' in data)) return '';
  const errors = (data as { errors: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return '';
  const parts = errors.map((e: unknown) =>
    typeof e === 'string'
      ? e
      : typeof e === 'object' && e !== null && 'message' in e
        ? String(e.message)
        : JSON.stringify(e),
  );
  return `: ${parts.join('; ')}`;
}
