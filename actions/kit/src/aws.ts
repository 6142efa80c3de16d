import { ActionError } from './errors';

export interface AwsClientOptions {
  /** The action's name, e.g. `ecs-rollout`, sent in the user agent. */
  action: string;
  version: string;
  /** Region from the action input; falls back to AWS_REGION, then AWS_DEFAULT_REGION. */
  region?: string;
  /** Attempts per API call under the SDK's adaptive retry mode (client-side rate limiting on throttles). */
  maxAttempts?: number;
  env?: NodeJS.ProcessEnv;
}

export interface AwsClientConfig {
  region: string;
  retryMode: 'adaptive';
  maxAttempts: number;
  customUserAgent: [string, string][];
}

/**
 * Configuration for any AWS SDK v3 client. No `endpoint` is set here on purpose: the SDK itself then
 * honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>, which is how tests and LocalStack users redirect it.
 */
export function awsClientConfig(options: AwsClientOptions): AwsClientConfig {
  const env = options.env ?? process.env;
  const region = options.region || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new ActionError(
      'No AWS region: set the action\'s "aws-region" input, or AWS_REGION in the environment ' +
        '(aws-actions/configure-aws-credentials sets it).',
    );
  }
  if (!/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(region)) {
    throw new ActionError(
      `AWS region "${region}" is not a region name such as us-east-1: fix the "aws-region" input or AWS_REGION.`,
    );
  }
  return {
    region,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 5,
    customUserAgent: [[`berth-${options.action}`, options.version]],
  };
}

/** The name of an AWS SDK error (e.g. ThrottlingException), or undefined. */
export function awsErrorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error
    ? String((error as { name: unknown }).name)
    : undefined;
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestThrottled',
  'SlowDown',
]);

export function isThrottlingError(error: unknown): boolean {
  const name = awsErrorName(error);
  return name !== undefined && THROTTLING.has(name);
}

/** Access problems, whose message should say which permission is missing. */
export function isAccessDeniedError(error: unknown): boolean {
  const name = awsErrorName(error);
  return name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation';
}
