import * as core from '@actions/core';
import * as github from '@actions/github';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import {
  ActionError,
  BERTH_ACTIONS_VERSION,
  InputReader,
  appendJobSummary,
  awsClientConfig,
  errorMessage,
  loadTerraformOutputs,
  markdownTable,
  maskValues,
  readTerraformOutputsSource,
  runAction,
  unknownInputProblems,
  type AwsClientConfig,
  type TerraformRunner,
} from '@berth/kit';
import { deliver, DeliveryFailure, excerpt, type Delivery } from './deliver';
import { lookupFunctionUrl } from './function-url-lookup';
import { hmacHeaders } from './hmac-signature';
import { buildPayload, idempotencyKey, runContextFrom, type GitHubRunContext, type NotificationFacts } from './payload';
import { regionOfFunctionUrl, sigV4Headers, type SigV4Options } from './sigv4-signature';
import { parseTargetUrl, SOURCE_INPUTS, urlFromTerraformOutputs, type TargetSource } from './target-url';

const ACTION = 'notify-lambda-url';
const RESPONSE_OUTPUT_CHARS = 1000;

export const INPUT_NAMES = [
  'url',
  'function-name',
  'terraform-outputs',
  'terraform-dir',
  'output-name',
  'event',
  'environment',
  'status',
  'details',
  'auth',
  'hmac-secret',
  'aws-region',
  'timeout-seconds',
  'max-attempts',
  'required',
] as const;

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

interface Inputs {
  source: TargetSource;
  facts: NotificationFacts;
  auth: 'iam' | 'hmac' | 'none';
  hmacSecret?: string;
  awsRegion?: string;
  timeoutMs: number;
  maxAttempts: number;
  required: boolean;
}

function getInputs(): Inputs {
  const reader = new InputReader();
  for (const problem of unknownInputProblems(INPUT_NAMES)) reader.problem(problem);

  const url = reader.optionalString('url');
  const functionName = reader.optionalString('function-name');
  const outputName = reader.string('output-name', { required: true });
  const raw = [url, functionName, reader.optionalString('terraform-outputs'), reader.optionalString('terraform-dir')];
  const given = SOURCE_INPUTS.filter((_, i) => raw[i] !== undefined);
  let source: TargetSource = { kind: 'url', url: '' };
  if (given.length !== 1) {
    reader.problem(
      `give exactly one of "url", "function-name", "terraform-outputs" or "terraform-dir" to say where to send ` +
        `the notification; ${given.length === 0 ? 'none was given' : `${given.map((n) => `"${n}"`).join(' and ')} were given`}`,
    );
  } else if (url !== undefined) {
    try {
      parseTargetUrl(url, 'input "url"');
    } catch (error) {
      reader.problem(errorMessage(error));
    }
    source = { kind: 'url', url };
  } else if (functionName !== undefined) {
    source = { kind: 'function-name', functionName };
  } else {
    const outputs = readTerraformOutputsSource(reader);
    if (outputs) source = { kind: 'terraform', outputs, outputName };
  }

  const event = reader.string('event', { required: true });
  if (event && !NAME_PATTERN.test(event)) {
    reader.problem(
      `input "event" is "${event}": use letters, digits, ".", "_" or "-" (at most 64), e.g. infrastructure-applied`,
    );
  }
  const environment = reader.string('environment', { required: true });
  if (environment && !NAME_PATTERN.test(environment)) {
    reader.problem(
      `input "environment" is "${environment}": use letters, digits, ".", "_" or "-" (at most 64), e.g. staging`,
    );
  }
  const status = reader.enumeration('status', ['success', 'failure', 'cancelled'] as const);
  const detailsValue = reader.json('details') ?? {};
  if (typeof detailsValue !== 'object' || detailsValue === null || Array.isArray(detailsValue)) {
    reader.problem('input "details" must be a JSON object, e.g. {"image": "…", "outputs": {…}}');
  }

  const auth = reader.enumeration('auth', ['iam', 'hmac', 'none'] as const);
  const hmacSecret = reader.optionalString('hmac-secret');
  maskValues([hmacSecret]);
  if (auth === 'hmac' && hmacSecret === undefined) {
    reader.problem(
      'input "auth" is "hmac" but "hmac-secret" is empty: pass the shared key, e.g. ${{ secrets.NOTIFY_HMAC_KEY }}',
    );
  }
  if (auth !== 'hmac' && hmacSecret !== undefined) {
    reader.problem(`input "hmac-secret" is set but "auth" is "${auth}": set auth to "hmac" or remove the secret`);
  }
  const awsRegion = reader.optionalString('aws-region');
  const timeoutSeconds = reader.integer('timeout-seconds', { min: 1, max: 300 });
  const maxAttempts = reader.integer('max-attempts', { min: 1, max: 10 });
  const required = reader.boolean('required');
  reader.done();

  return {
    source,
    facts: { event, environment, status, details: detailsValue as Record<string, unknown> },
    auth,
    hmacSecret,
    awsRegion,
    timeoutMs: timeoutSeconds * 1000,
    maxAttempts,
    required,
  };
}

/** What the action talks to, injected by tests; the defaults are the runner's context, AWS and Terraform. */
export interface NotifyDependencies {
  context: GitHubRunContext;
  lambda(config: AwsClientConfig): Pick<LambdaClient, 'send'>;
  /** The runner's AWS credentials, for a SigV4 signature. */
  credentials(): Promise<SigV4Options['credentials']>;
  runTerraform?: TerraformRunner;
}

const defaults: NotifyDependencies = {
  context: github.context,
  lambda: (config) => new LambdaClient(config),
  credentials: () => defaultProvider()(),
};

async function resolveUrl(inputs: Inputs, dependencies: NotifyDependencies): Promise<URL> {
  const { source } = inputs;
  if (source.kind === 'url') return parseTargetUrl(source.url, 'input "url"');
  if (source.kind === 'terraform') {
    const outputs = await loadTerraformOutputs(source.outputs, { runTerraform: dependencies.runTerraform });
    return urlFromTerraformOutputs(outputs, source.outputName);
  }
  const client = dependencies.lambda(clientConfig(inputs));
  const config = await lookupFunctionUrl(client, source.functionName);
  if (config.authType === 'AWS_IAM' && inputs.auth !== 'iam') {
    core.warning(
      `The Function URL of "${source.functionName}" has auth type AWS_IAM, so an unsigned request is refused: set auth to "iam".`,
    );
  }
  return parseTargetUrl(config.url, `Function URL of "${source.functionName}"`);
}

const clientConfig = (inputs: Inputs): AwsClientConfig =>
  awsClientConfig({ action: ACTION, version: BERTH_ACTIONS_VERSION, region: inputs.awsRegion });

/** The action: resolves the URL, posts the signed notification with retries, writes outputs and the summary. */
export function run(dependencies: Partial<NotifyDependencies> = {}): Promise<void> {
  return runAction(() => notify({ ...defaults, ...dependencies }));
}

async function notify(dependencies: NotifyDependencies): Promise<void> {
  const inputs = getInputs();
  const runContext = runContextFrom(dependencies.context);
  const payload = buildPayload(inputs.facts, runContext, new Date());
  const key = idempotencyKey(payload);
  const body = Buffer.from(JSON.stringify(payload), 'utf8');

  let url: URL | undefined;
  let delivery: Delivery | undefined;
  let failure: Error | undefined;
  try {
    url = await resolveUrl(inputs, dependencies);
    const target = url;
    const baseHeaders = {
      'content-type': 'application/json',
      'idempotency-key': key,
      'user-agent': `berth-${ACTION}/${BERTH_ACTIONS_VERSION}`,
    };
    const credentials = inputs.auth === 'iam' ? await runnerCredentials(dependencies) : undefined;
    const signingRegion = inputs.auth === 'iam' ? (regionOfFunctionUrl(target) ?? clientConfig(inputs).region) : '';
    delivery = await deliver({
      url: target,
      body,
      maxAttempts: inputs.maxAttempts,
      timeoutMs: inputs.timeoutMs,
      log: (line) => core.info(line),
      headersForAttempt: async () => {
        if (credentials) return sigV4Headers(target, baseHeaders, body, { region: signingRegion, credentials });
        if (inputs.auth === 'hmac') {
          const seconds = Math.floor(Date.parse(payload.timestamp) / 1000);
          return { ...baseHeaders, ...hmacHeaders(body, inputs.hmacSecret!, seconds, key) };
        }
        return baseHeaders;
      },
    });
  } catch (error) {
    failure = error instanceof Error ? error : new Error(errorMessage(error));
  }

  const attempts = delivery?.attempts ?? (failure instanceof DeliveryFailure ? failure.attempts : 0);
  const lastResponse = failure instanceof DeliveryFailure ? failure.lastResponse : undefined;
  const statusCode = delivery?.statusCode ?? lastResponse?.statusCode;
  const responseText = excerpt(delivery?.response ?? lastResponse?.body ?? '', RESPONSE_OUTPUT_CHARS);
  core.setOutput('status-code', statusCode === undefined ? '' : String(statusCode));
  core.setOutput('attempts', String(attempts));
  core.setOutput('response', responseText);
  if (responseText) core.info(`Answer: ${responseText}`);

  await appendJobSummary(
    [
      `### Notification ${failure ? 'not delivered' : 'delivered'}: ${payload.event} (${payload.environment})`,
      '',
      markdownTable(
        ['Field', 'Value'],
        [
          ['Target', url ? url.host : 'unresolved'],
          ['Status', payload.status],
          ['Auth', inputs.auth],
          ['Idempotency key', key],
          ['HTTP status', statusCode === undefined ? 'none' : String(statusCode)],
          ['Attempts', String(attempts)],
          ...(failure ? [['Error', failure.message]] : []),
        ],
      ),
      '',
    ].join('\n'),
  );

  if (!failure) {
    core.info(
      `Notified ${url?.host} of ${payload.event} in ${payload.environment}: HTTP ${statusCode} after ${attempts} attempt(s).`,
    );
    return;
  }
  if (inputs.required) throw failure instanceof ActionError ? failure : new ActionError(failure.message);
  core.warning(
    `${failure.message} The step succeeds because "required" is false; set it to true to fail the job instead.`,
  );
}

/** Resolved once, so a runner without credentials fails with advice instead of retrying the signing. */
async function runnerCredentials(dependencies: NotifyDependencies): Promise<SigV4Options['credentials']> {
  try {
    return await dependencies.credentials();
  } catch (error) {
    throw new ActionError(
      `No AWS credentials to sign the request with (${errorMessage(error)}): run aws-actions/configure-aws-credentials ` +
        'before this step, or set "auth" to "hmac" or "none" for a URL that does not use AWS_IAM.',
    );
  }
}
