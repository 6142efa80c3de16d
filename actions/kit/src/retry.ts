import { errorMessage } from './errors';

export interface RetryOptions {
  /** Total attempts, including the first. */
  attempts: number;
  /** Base delay in ms for attempt 1; doubles each attempt. */
  baseDelayMs: number;
  /** Cap on any single delay. */
  maxDelayMs: number;
  /** Whether an error is worth another attempt; others are thrown at once. */
  retryable: (error: unknown) => boolean;
  /** Names the operation in log lines. */
  label: string;
  log?: (line: string) => void;
  /** A delay the server asked for (Retry-After), which replaces the computed one. */
  requestedDelayMs?: (error: unknown) => number | undefined;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Full-jitter exponential backoff: attempt n waits a uniform random time in [0, min(max, base·2^(n-1))],
 * which spreads retries from many runners instead of synchronising them.
 */
export function fullJitterDelay(
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>,
  random = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

export async function retryWithBackoff<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const last = attempt >= options.attempts;
      if (last || !options.retryable(error)) throw error;
      const requested = options.requestedDelayMs?.(error);
      const delay = requested ?? fullJitterDelay(attempt, options, options.random);
      options.log?.(
        `${options.label}: attempt ${attempt} of ${options.attempts} failed (${errorMessage(error)}); retrying in ${delay} ms`,
      );
      await wait(delay);
    }
  }
}

/** Seconds or an HTTP date in a Retry-After header, as milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
