import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

/** Every 4xx: a client error will not change on retry. Rate limits (403/429) are the throttling plugin's job. */
const CLIENT_ERRORS = Array.from({ length: 100 }, (_, i) => 400 + i);
/** Attempts after the first for 5xx answers and network failures (waits of 1, 4, 9 s). */
const SERVER_ERROR_RETRIES = 3;
/** Rate-limit waits the action accepts; a longer wait fails instead of holding the runner. */
const MAX_RATE_LIMIT_RETRIES = 3;
const MAX_RATE_LIMIT_WAIT_SECONDS = 120;

export interface GitHubClientOptions {
  token: string;
  baseUrl: string;
  userAgent: string;
  log: (line: string) => void;
  /**
   * How fast the client goes; the default is what GitHub asks of integrations: one write at a time, a second
   * apart, and Retry-After honoured in seconds. Tests shorten it.
   */
  pacing?: { writeIntervalMs: number; retryAfterUnitMs: number };
}

/**
 * The toolkit's Octokit (`getOctokit`: the runner's proxy settings, REST methods) with the retry and throttling
 * plugins: 5xx are retried with backoff, secondary rate limits waited out as GitHub's Retry-After asks.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const retrying = retryCount < MAX_RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
      options.log(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ` +
          (retrying
            ? `retrying in ${retryAfter} s (retry ${retryCount + 1} of ${MAX_RATE_LIMIT_RETRIES})`
            : 'giving up'),
      );
      return retrying;
    };
  const pacing = options.pacing;
  const retryUnit = pacing ? { retryAfterBaseValue: pacing.retryAfterUnitMs } : {};
  return getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl,
      userAgent: options.userAgent,
      // Octokit's own error lines ("PUT … - 403 with id …") repeat what the action reports with the cause and fix.
      log: { debug: () => undefined, info: () => undefined, warn: options.log, error: () => undefined },
      retry: { doNotRetry: CLIENT_ERRORS, retries: SERVER_ERROR_RETRIES, ...retryUnit },
      throttle: {
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        ...retryUnit,
        ...(pacing ? { write: new Bottleneck.Group({ maxConcurrent: 1, minTime: pacing.writeIntervalMs }) } : {}),
      },
    },
    retry,
    throttling,
  );
}
