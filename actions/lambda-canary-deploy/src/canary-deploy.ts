import { createHash } from 'node:crypto';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { ActionError, awsErrorName, errorMessage, sleep as realSleep } from '@berth/kit';
import {
  createAppSpecDeployment,
  CREATE_DEPLOYMENT_HINT,
  followCodeDeployRollout,
  type CodeDeployClientLike,
  type CodeDeployVerdict,
} from '@berth/kit/codedeploy';
import type { TimelineEntry } from '@berth/kit/timeline';
import { lambdaAppSpec } from './appspec';
import type { LambdaGateway } from './lambda-gateway';

export type CanaryStatus = 'succeeded' | 'rolled-back' | 'failed' | 'unchanged';

export interface CanaryDeployOptions {
  lambda: LambdaGateway;
  codeDeploy: CodeDeployClientLike;
  functionName: string;
  alias: string;
  zip: Uint8Array;
  application: string;
  deploymentGroup: string;
  /** Empty uses the deployment group's configuration (e.g. CodeDeployDefault.LambdaCanary10Percent5Minutes). */
  deploymentConfig?: string;
  beforeAllowTraffic?: string;
  afterAllowTraffic?: string;
  /** Deploy even when code and configuration equal those of the version the alias serves. */
  force: boolean;
  wait: boolean;
  pollIntervalMs: number;
  timeoutMs: number;
  timeoutText: string;
  /** CodeDeploy's and the version's description: which workflow run deployed it. */
  description: string;
  log: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface CanaryResult {
  status: CanaryStatus;
  functionName: string;
  alias: string;
  /** The version the alias served before the step. */
  previousVersion: string;
  /** The version the alias serves after the step (as far as the step saw). */
  version: string;
  publishedVersion?: string;
  deploymentId?: string;
  rollbackDeploymentId?: string;
  /** Why the function was deployed or not. */
  reason: string;
  failure?: string;
  rollback?: string;
  triggeredAlarms: string[];
  failedHook?: string;
  durationSeconds: number;
  /** CodeDeploy's progress lines, in order. */
  events: string[];
  timeline: TimelineEntry[];
}

/** Lambda's CodeSha256 of a deployment package: base64 of its SHA-256. */
export function lambdaCodeSha256(zip: Uint8Array): string {
  return createHash('sha256').update(zip).digest('base64');
}

/** Configuration that reaches a version when it is published: a change here is worth a deployment too. */
const CONFIGURATION_FIELDS = [
  'Runtime',
  'Handler',
  'Role',
  'MemorySize',
  'Timeout',
  'Environment',
  'Architectures',
  'Layers',
  'EphemeralStorage',
  'TracingConfig',
  'LoggingConfig',
] as const satisfies readonly (keyof FunctionConfiguration)[];

/** The configuration fields that differ between two versions' configurations. */
export function configurationChanges(live: FunctionConfiguration, latest: FunctionConfiguration): string[] {
  return CONFIGURATION_FIELDS.filter(
    (field) => JSON.stringify(normalise(live[field])) !== JSON.stringify(normalise(latest[field])),
  );
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key, v]) => v !== undefined && key !== 'CodeSize' && key !== 'SigningProfileVersionArn')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, v]) => [key, normalise(v)]),
    );
  }
  return value;
}

/**
 * Uploads the package to $LATEST, waits for the update, publishes a version and lets CodeDeploy shift the alias to it
 * (canary, linear or all at once, as the deployment group or `deploymentConfig` says), following the deployment and
 * CodeDeploy's rollback. Nothing is uploaded when the alias already serves the same code and configuration.
 */
export async function deployLambdaCanary(options: CanaryDeployOptions): Promise<CanaryResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const { lambda, functionName, alias, log } = options;
  const tag = `[${functionName}:${alias}]`;
  const live = await readAlias(lambda, functionName, alias);
  const liveConfiguration = await lambda.getConfiguration(functionName, live.version);
  const latest = await lambda.getConfiguration(functionName);
  const codeSha = lambdaCodeSha256(options.zip);
  const codeChanged = liveConfiguration.CodeSha256 !== codeSha;
  const configChanges = configurationChanges(liveConfiguration, latest);
  const result: CanaryResult = {
    status: 'failed',
    functionName,
    alias,
    previousVersion: live.version,
    version: live.version,
    reason: [
      codeChanged ? `code changed (CodeSha256 ${liveConfiguration.CodeSha256} → ${codeSha})` : undefined,
      configChanges.length > 0
        ? `configuration changed since version ${live.version} (${configChanges.join(', ')})`
        : undefined,
      !codeChanged && configChanges.length === 0 && options.force ? 'force is true' : undefined,
    ]
      .filter(Boolean)
      .join('; '),
    triggeredAlarms: [],
    durationSeconds: 0,
    events: [],
    timeline: [],
  };
  const finish = (): CanaryResult => {
    result.durationSeconds = Math.round((now() - started) / 1000);
    return result;
  };
  log(`${tag} serves version ${live.version}`);
  if (!result.reason) {
    result.status = 'unchanged';
    result.reason = `version ${live.version} already runs this package (CodeSha256 ${codeSha}) with the current configuration`;
    log(`${tag} nothing to deploy: ${result.reason}`);
    return finish();
  }
  log(`${tag} deploying: ${result.reason}`);

  // 1. Upload to $LATEST and wait until Lambda finished updating it.
  const uploadStarted = now();
  try {
    await lambda.updateCode(functionName, options.zip);
    await waitForUpdate(options, uploadStarted + options.timeoutMs);
  } catch (error) {
    result.failure = `uploading the package to ${functionName} failed: ${errorMessage(error)}. The alias ${alias} still serves version ${live.version}`;
    result.timeline.push({ label: 'upload failed', start: uploadStarted, end: now(), kind: 'failed' });
    log(`${tag} ${result.failure}`);
    return finish();
  }
  result.timeline.push({
    label: `code uploaded (${options.zip.length} B)`,
    start: uploadStarted,
    end: now(),
    kind: 'done',
  });

  // 2. Publish the version CodeDeploy shifts to.
  const version = await lambda.publishVersion(functionName, codeSha, options.description);
  result.publishedVersion = version;
  result.timeline.push({ label: `version ${version} published`, start: now(), kind: 'milestone' });
  log(`${tag} published version ${version}`);
  if (version === live.version) {
    result.status = 'unchanged';
    result.reason = `publishing returned version ${version}, which the alias already serves (nothing differs from it)`;
    log(`${tag} ${result.reason}`);
    return finish();
  }

  // 3. Let CodeDeploy move the alias.
  const appspec = lambdaAppSpec({
    functionName,
    alias,
    currentVersion: live.version,
    targetVersion: version,
    beforeAllowTraffic: options.beforeAllowTraffic,
    afterAllowTraffic: options.afterAllowTraffic,
  });
  const created = await createAppSpecDeployment(options.codeDeploy, {
    application: options.application,
    deploymentGroup: options.deploymentGroup,
    deploymentConfig: options.deploymentConfig,
    description: options.description,
    appspec,
  });
  if ('refusal' in created) {
    result.failure =
      `${created.refusal} ` +
      `Version ${version} is published but serves no traffic; the alias ${alias} still serves version ${live.version}. ` +
      CREATE_DEPLOYMENT_HINT;
    log(`${tag} ${result.failure}`);
    return finish();
  }
  result.deploymentId = created.deploymentId;
  const deploymentStarted = now();
  log(`${tag} CodeDeploy deployment ${result.deploymentId} shifts ${alias} from version ${live.version} to ${version}`);
  if (!options.wait) {
    result.status = 'succeeded';
    result.timeline.push({
      label: `deployment ${result.deploymentId} created`,
      start: deploymentStarted,
      kind: 'milestone',
    });
    return finish();
  }
  const verdict = await followCodeDeployRollout(result.deploymentId, {
    client: options.codeDeploy,
    pollIntervalMs: options.pollIntervalMs,
    timeoutMs: options.timeoutMs,
    timeoutText: options.timeoutText,
    previousRevision: `version ${live.version}`,
    tag,
    log,
    now,
    sleep: options.sleep,
  });
  applyVerdict(result, verdict, version);
  if (result.failure) log(`${tag} ${result.failure}`);
  if (result.rollback) log(`${tag} rollback: ${result.rollback}`);
  return finish();
}

async function readAlias(lambda: LambdaGateway, functionName: string, alias: string) {
  let state;
  try {
    state = await lambda.getAlias(functionName, alias);
  } catch (error) {
    if (awsErrorName(error) === 'ResourceNotFoundException') {
      throw new ActionError(
        `Function ${functionName} has no alias "${alias}" (${errorMessage(error)}): CodeDeploy shifts an existing alias. ` +
          'Check the "function-name" and "alias" inputs; Berth\'s notifier module creates the alias "live".',
      );
    }
    throw error;
  }
  const split = Object.entries(state.additionalWeights);
  if (split.length > 0) {
    throw new ActionError(
      `The alias "${alias}" of ${functionName} already sends ${split.map(([v, w]) => `${Math.round(w * 100)}% to version ${v}`).join(', ')} ` +
        `besides version ${state.version}: another deployment is shifting it. Wait for it to finish (or stop it with ` +
        '`aws deploy stop-deployment --deployment-id <id> --auto-rollback-enabled`), then re-run.',
    );
  }
  return state;
}

/** Polls $LATEST until Lambda finished applying the new code; a failed update throws with Lambda's reason. */
async function waitForUpdate(options: CanaryDeployOptions, deadline: number): Promise<void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const interval = Math.min(options.pollIntervalMs, 2000);
  for (;;) {
    const configuration = await options.lambda.getConfiguration(options.functionName);
    const status = configuration.LastUpdateStatus;
    if (status === 'Successful' || status === undefined) return;
    if (status === 'Failed') {
      throw new Error(
        `Lambda reports LastUpdateStatus Failed (${configuration.LastUpdateStatusReasonCode ?? 'no code'}: ` +
          `${configuration.LastUpdateStatusReason ?? 'no reason given'})`,
      );
    }
    if (now() >= deadline) throw new Error(`the update was still ${status} after ${options.timeoutText}`);
    await sleep(interval);
  }
}

/** Puts CodeDeploy's verdict into the result, with the timeline of traffic shifts, failure and rollback. */
function applyVerdict(result: CanaryResult, verdict: CodeDeployVerdict, version: string): void {
  const { rollout, rollbackFollow } = verdict;
  result.status = verdict.status;
  result.failure = verdict.failure;
  result.rollback = verdict.rollback;
  result.triggeredAlarms = verdict.triggeredAlarms;
  result.failedHook = verdict.failedHook;
  result.rollbackDeploymentId = verdict.rollbackDeploymentId;
  result.events = [...rollout.news, ...(rollbackFollow?.news ?? [])].map((n) => n.text);
  if (verdict.status === 'succeeded') result.version = version;
  result.timeline.push({
    label:
      verdict.status === 'succeeded'
        ? `deployment ${verdict.deploymentId} succeeded`
        : `deployment ${verdict.deploymentId} failed - ${verdict.cause ?? 'see the failure'}`,
    start: rollout.startedAt,
    end: rollout.endedAt,
    kind: verdict.status === 'succeeded' ? 'done' : 'failed',
  });
  for (const shift of rollout.trafficShifts) {
    if (shift.percent > 0)
      result.timeline.push({ label: `${shift.percent}% on version ${version}`, start: shift.at, kind: 'milestone' });
  }
  if (rollbackFollow) {
    result.timeline.push({
      label: `rollback ${rollbackFollow.deploymentId} to version ${result.previousVersion}`,
      start: rollbackFollow.startedAt,
      end: rollbackFollow.endedAt,
      kind: verdict.status === 'rolled-back' ? 'done' : 'failed',
    });
    if (verdict.status === 'rolled-back')
      result.timeline.push({ label: 'rollback done', start: rollbackFollow.endedAt, kind: 'milestone' });
  }
}
