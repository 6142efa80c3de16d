import { errorMessage, parseRetryAfter, retryWithBackoff } from '@berth/kit';
import { postOnce, type HttpResponse } from './http-post';

/** An answer that is not 2xx. */
export class HttpStatusError extends Error {
  constructor(readonly response: HttpResponse) {
    super(`HTTP ${response.statusCode}${response.body ? `: ${excerpt(response.body, 300)}` : ''}`);
    this.name = 'HttpStatusError';
  }

  get retryable(): boolean {
    return this.response.statusCode === 429 || this.response.statusCode >= 500;
  }
}

/** Every attempt failed, or one failed in a way another attempt cannot fix. */
export class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly lastResponse: HttpResponse | undefined,
  ) {
    super(message);
    this.name = 'DeliveryFailure';
  }
}

export interface DeliveryOptions {
  url: URL;
  body: Buffer;
  /** Headers for one attempt; called again for every attempt because a SigV4 signature carries its time. */
  headersForAttempt: () => Promise<Record<string, string>>;
  maxAttempts: number;
  timeoutMs: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  log?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface Delivery {
  statusCode: number;
  attempts: number;
  response: string;
}

/** A server may ask for a long pause; a notification step should not hang on it. */
const LONGEST_REQUESTED_DELAY_MS = 30_000;

/**
 * POSTs the body until a 2xx answer. Network errors, timeouts, 429 and 5xx are retried with full-jitter
 * exponential backoff (or the server's Retry-After); any other status ends delivery at once.
 */
export async function deliver(options: DeliveryOptions): Promise<Delivery> {
  let attempts = 0;
  let lastResponse: HttpResponse | undefined;
  try {
    const response = await retryWithBackoff(
      async (attempt) => {
        attempts = attempt;
        lastResponse = undefined;
        const headers = await options.headersForAttempt();
        const answer = await postOnce(options.url, headers, options.body, options.timeoutMs);
        lastResponse = answer;
        if (answer.statusCode < 200 || answer.statusCode > 299) throw new HttpStatusError(answer);
        return answer;
      },
      {
        attempts: options.maxAttempts,
        baseDelayMs: options.baseDelayMs ?? 1000,
        maxDelayMs: options.maxDelayMs ?? 15_000,
        label: `POST ${options.url.host}`,
        retryable: (error) => !(error instanceof HttpStatusError) || error.retryable,
        requestedDelayMs: (error) => {
          if (!(error instanceof HttpStatusError)) return undefined;
          const header = error.response.headers['retry-after'];
          const requested = parseRetryAfter(Array.isArray(header) ? header[0] : header);
          return requested === undefined ? undefined : Math.min(requested, LONGEST_REQUESTED_DELAY_MS);
        },
        log: options.log,
        sleep: options.sleep,
        random: options.random,
      },
    );
    return { statusCode: response.statusCode, attempts, response: response.body };
  } catch (error) {
    const final = error instanceof HttpStatusError && !error.retryable;
    const reason = final
      ? `the endpoint answered ${errorMessage(error)}; this status is not retried: ${advice(error.response.statusCode)}`
      : `attempt ${attempts} of ${options.maxAttempts} failed (${errorMessage(error)}); check that the URL is reachable from the runner and the receiver is healthy`;
    throw new DeliveryFailure(`Notification to ${options.url.host} failed: ${reason}.`, attempts, lastResponse);
  }
}

export function excerpt(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function advice(statusCode: number): string {
  if (statusCode === 403) {
    return 'with auth "iam" the runner\'s role needs lambda:InvokeFunctionUrl on the function (and the URL\'s auth type must be AWS_IAM)';
  }
  if (statusCode === 401)
    return 'with auth "hmac" the "hmac-secret" must equal the key in the secret named by HMAC_SECRET_ARN';
  return 'fix the request or the receiver as the answer says';
}
