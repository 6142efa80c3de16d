import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import {
  ActionError,
  appendJobSummary,
  awsClientConfig,
  BERTH_ACTIONS_VERSION,
  InputReader,
  runAction,
  unknownInputProblems,
  type AwsClientConfig,
} from '@berth/kit';
import { deployLambdaCanary, type CanaryResult } from './canary-deploy';
import { canarySummary } from './canary-summary';
import { createLambdaGateway } from './lambda-gateway';

const ACTION = 'lambda-canary-deploy';
/** The largest package UpdateFunctionCode takes inline (ZipFile); larger ones go through S3. */
const MAX_INLINE_ZIP_BYTES = 50 * 1024 * 1024;

export const INPUT_NAMES = [
  'function-name',
  'zip-file',
  'alias',
  'codedeploy-application',
  'codedeploy-deployment-group',
  'codedeploy-deployment-config',
  'before-allow-traffic-hook',
  'after-allow-traffic-hook',
  'force',
  'wait',
  'timeout-minutes',
  'poll-interval-seconds',
  'aws-region',
] as const;

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const FUNCTION = /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}$/;

interface Inputs {
  functionName: string;
  zipPath: string;
  alias: string;
  application: string;
  deploymentGroup: string;
  deploymentConfig?: string;
  beforeAllowTraffic?: string;
  afterAllowTraffic?: string;
  force: boolean;
  wait: boolean;
  timeoutMinutes: number;
  pollIntervalSeconds: number;
  awsRegion?: string;
}

function getInputs(): Inputs {
  const reader = new InputReader();
  for (const problem of unknownInputProblems(INPUT_NAMES)) reader.problem(problem);
  const functionName = reader.string('function-name', { required: true });
  if (functionName && !FUNCTION.test(functionName)) {
    reader.problem(
      `input "function-name" is "${functionName}": give the function's name (letters, digits, - and _, at most 64) or its unqualified ARN`,
    );
  }
  const zipPath = reader.existingFile('zip-file', { required: true });
  const alias = reader.string('alias', { required: true });
  if (alias && (!NAME.test(alias) || /^\d+$/.test(alias))) {
    reader.problem(`input "alias" is "${alias}": an alias name has letters, digits, - and _ and is not a number`);
  }
  const timeoutMinutes = reader.minutes('timeout-minutes', { max: 360 });
  const inputs: Inputs = {
    functionName,
    zipPath: zipPath ?? '',
    alias,
    application: reader.string('codedeploy-application', { required: true }),
    deploymentGroup: reader.string('codedeploy-deployment-group', { required: true }),
    deploymentConfig: reader.optionalString('codedeploy-deployment-config'),
    beforeAllowTraffic: reader.optionalString('before-allow-traffic-hook'),
    afterAllowTraffic: reader.optionalString('after-allow-traffic-hook'),
    force: reader.boolean('force'),
    wait: reader.boolean('wait'),
    timeoutMinutes,
    pollIntervalSeconds: reader.integer('poll-interval-seconds', { min: 1, max: 300 }),
    awsRegion: reader.optionalString('aws-region'),
  };
  reader.done();
  return inputs;
}

/** The AWS clients the deployment uses, built from the action's client configuration; tests inject fakes. */
export interface CanaryDependencies {
  lambda(config: AwsClientConfig): Pick<LambdaClient, 'send'>;
  codeDeploy(config: AwsClientConfig): Pick<CodeDeployClient, 'send'>;
}

const awsClients: CanaryDependencies = {
  lambda: (config) => new LambdaClient(config),
  codeDeploy: (config) => new CodeDeployClient(config),
};

/** The action: uploads and publishes the package, shifts the alias through CodeDeploy, reports the outcome. */
export function run(dependencies: Partial<CanaryDependencies> = {}): Promise<void> {
  return runAction(() => deploy({ ...awsClients, ...dependencies }));
}

async function deploy(clients: CanaryDependencies): Promise<void> {
  const inputs = getInputs();
  const zip = readFileSync(inputs.zipPath);
  if (zip.length === 0 || zip.length > MAX_INLINE_ZIP_BYTES) {
    throw new ActionError(
      `input "zip-file": ${inputs.zipPath} is ${zip.length} B; a package uploaded directly must hold 1 B to 50 MB. ` +
        'Build it first (npm run build:lambda for the deploy notifier).',
    );
  }
  const config = awsClientConfig({ action: ACTION, version: BERTH_ACTIONS_VERSION, region: inputs.awsRegion });
  const timeoutText = `${inputs.timeoutMinutes} minutes (timeout-minutes)`;
  const result = await deployLambdaCanary({
    lambda: createLambdaGateway(clients.lambda(config)),
    codeDeploy: clients.codeDeploy(config),
    functionName: inputs.functionName,
    alias: inputs.alias,
    zip,
    application: inputs.application,
    deploymentGroup: inputs.deploymentGroup,
    deploymentConfig: inputs.deploymentConfig,
    beforeAllowTraffic: inputs.beforeAllowTraffic,
    afterAllowTraffic: inputs.afterAllowTraffic,
    force: inputs.force,
    wait: inputs.wait,
    pollIntervalMs: inputs.pollIntervalSeconds * 1000,
    timeoutMs: inputs.timeoutMinutes * 60_000,
    timeoutText,
    description: `berth ${ACTION} of ${inputs.zipPath} (${process.env.GITHUB_REPOSITORY ?? ''} run ${process.env.GITHUB_RUN_ID ?? ''})`,
    log: (line) => core.info(line),
  });
  writeOutputs(result);
  await appendJobSummary(canarySummary(result, inputs.deploymentConfig ?? ''));
  if (result.status === 'failed' || result.status === 'rolled-back') {
    core.error(`${result.failure ?? 'failed'}${result.rollback ? `. Rollback: ${result.rollback}` : ''}`, {
      title: `${ACTION}: ${result.functionName}:${result.alias} ${result.status}`,
    });
    throw new ActionError(
      `Lambda deploy ${result.status}: ${result.functionName}:${result.alias} serves version ${result.version}. ` +
        "The job summary shows the cause and CodeDeploy's events; fix it, then re-run.",
    );
  }
  core.info(
    `Lambda deploy ${result.status}: ${result.functionName}:${result.alias} serves version ${result.version} ` +
      `(${result.durationSeconds} s)`,
  );
}

function writeOutputs(result: CanaryResult): void {
  core.setOutput('status', result.status);
  core.setOutput('version', result.version);
  core.setOutput('previous-version', result.previousVersion);
  core.setOutput('published-version', result.publishedVersion ?? '');
  core.setOutput('deployment-id', result.deploymentId ?? '');
  core.setOutput('duration-seconds', String(result.durationSeconds));
}
