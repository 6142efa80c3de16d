import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  type CodeDeployClient,
  type DeploymentInfo,
  type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import { errorMessage, isThrottlingError, awsErrorName, sleep as realSleep } from '@berth/kit';
import { buildAppSpec } from './appspec';
import type { ServicePlan } from './rollout-plan';
import type { LogLine, ServiceResult } from './types';

export interface CodeDeployRolloutOptions {
  client: Pick<CodeDeployClient, 'send'>;
  cluster: string;
  application: string;
  deploymentGroup: string;
  deploymentConfig?: string;
  appspecPath?: string;
  wait: boolean;
  pollIntervalMs: number;
  timeoutMs: number;
  timeoutText: string;
  description: string;
  log: LogLine;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const FINISHED = new Set(['Succeeded', 'Failed', 'Stopped']);

/**
 * Deploys a CODE_DEPLOY-controlled service through a CodeDeploy deployment and follows it: status, lifecycle
 * events, traffic weight of the replacement task set. Rollback is the deployment group's own (alarms or
 * failure); a rollback deployment is followed and reported as rolled-back.
 */
export async function rollOutCodeDeployService(
  plan: ServicePlan,
  taskDefinitionArn: string,
  options: CodeDeployRolloutOptions,
): Promise<ServiceResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const tag = `[${plan.service}]`;
  const result: ServiceResult = {
    service: plan.service,
    status: 'failed',
    oldTaskDefinitionArn: plan.oldTaskDefinitionArn,
    newTaskDefinitionArn: taskDefinitionArn,
    controller: 'CODE_DEPLOY',
    durationSeconds: 0,
    tasksStarted: 0,
    tasksFailed: 0,
    stoppedTasks: [],
    events: [],
  };
  const appspec = buildAppSpec(plan.current, taskDefinitionArn, options.appspecPath);
  try {
    const created = await options.client.send(
      new CreateDeploymentCommand({
        applicationName: options.application,
        deploymentGroupName: options.deploymentGroup,
        deploymentConfigName: options.deploymentConfig,
        description: options.description,
        revision: { revisionType: 'AppSpecContent', appSpecContent: appspec },
      }),
    );
    if (!created.deploymentId) throw new Error('CreateDeployment returned no deployment id');
    result.deploymentId = created.deploymentId;
  } catch (error) {
    result.failure =
      `CreateDeployment in application ${options.application}, group ${options.deploymentGroup} failed: ${errorMessage(error)}. ` +
      'Check the "codedeploy-*" inputs and that the role may call codedeploy:CreateDeployment.';
    options.log(`${tag} ${result.failure}`);
    return result;
  }
  options.log(`${tag} CodeDeploy deployment ${result.deploymentId} created for ${taskDefinitionArn}`);
  if (!options.wait) {
    result.status = 'succeeded';
    return result;
  }
  const deadline = started + options.timeoutMs;
  const info = await followDeployment(result.deploymentId!, plan, deadline, result, options);
  if (info?.status === 'Succeeded') {
    result.status = 'succeeded';
  } else if (info) {
    const error = info.errorInformation;
    result.failure =
      `CodeDeploy deployment ${info.deploymentId} ${info.status?.toLowerCase()}` +
      (error ? `: ${error.code ?? 'error'}: ${error.message ?? ''}` : '');
    const rollbackId = info.rollbackInfo?.rollbackDeploymentId;
    if (rollbackId) {
      result.rollbackDeploymentId = rollbackId;
      options.log(`${tag} ${result.failure}; CodeDeploy is rolling back with deployment ${rollbackId}`);
      const rollback = await followDeployment(rollbackId, plan, now() + options.timeoutMs, result, options);
      if (rollback?.status === 'Succeeded') {
        result.status = 'rolled-back';
        result.rollback = `CodeDeploy rolled back to ${plan.oldTaskDefinitionArn}: deployment ${rollbackId} succeeded`;
      } else {
        result.rollback = `CodeDeploy's rollback deployment ${rollbackId} did not succeed (${rollback?.status ?? 'timed out'})`;
      }
    } else if (info.rollbackInfo?.rollbackMessage) {
      result.status = 'rolled-back';
      result.rollback = `CodeDeploy rolled back: ${info.rollbackInfo.rollbackMessage}`;
    } else {
      result.rollback = 'none: the deployment group has no automatic rollback for this failure';
    }
  } else {
    result.failure =
      `CodeDeploy deployment ${result.deploymentId} did not finish within ${options.timeoutText}; it keeps running in CodeDeploy. ` +
      `Stop it with: aws deploy stop-deployment --deployment-id ${result.deploymentId} --auto-rollback-enabled`;
  }
  if (result.failure) options.log(`${tag} ${result.failure}`);
  if (result.rollback) options.log(`${tag} rollback: ${result.rollback}`);
  result.durationSeconds = Math.round((now() - started) / 1000);
  return result;
}

/** Polls one deployment until it finishes (its info) or the deadline passes (undefined). */
async function followDeployment(
  deploymentId: string,
  plan: ServicePlan,
  deadline: number,
  result: ServiceResult,
  options: CodeDeployRolloutOptions,
): Promise<DeploymentInfo | undefined> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const tag = `[${plan.service}]`;
  const seen = new Set<string>();
  const note = (line: string): void => {
    if (seen.has(line)) return;
    seen.add(line);
    result.events.push(line);
    options.log(`${tag} ${line}`);
  };
  let interval = options.pollIntervalMs;
  for (;;) {
    const tickStarted = now();
    try {
      const info = (await options.client.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
      note(`deployment ${deploymentId}: ${info?.status ?? 'unknown'}`);
      const target = await getTarget(options, deploymentId, plan.service);
      for (const event of target?.lifecycleEvents ?? []) note(`${event.lifecycleEventName}: ${event.status}`);
      const green = target?.taskSetsInfo?.find((t) => t.taskSetLabel === 'Green');
      if (green?.trafficWeight !== undefined) note(`traffic to the replacement task set: ${green.trafficWeight}%`);
      if (info?.status && FINISHED.has(info.status)) return info;
      interval = options.pollIntervalMs;
    } catch (error) {
      if (!isThrottlingError(error)) throw error;
      interval = Math.min(interval * 2, 60_000);
      options.log(
        `${tag} CodeDeploy is throttling the status calls (${errorMessage(error)}); next poll in ${interval / 1000} s`,
      );
    }
    if (now() >= deadline) return undefined;
    await sleep(Math.max(0, tickStarted + interval - now()));
  }
}

async function getTarget(
  options: CodeDeployRolloutOptions,
  deploymentId: string,
  service: string,
): Promise<ECSTarget | undefined> {
  try {
    const response = await options.client.send(
      new GetDeploymentTargetCommand({ deploymentId, targetId: `${options.cluster}:${service}` }),
    );
    return response.deploymentTarget?.ecsTarget;
  } catch (error) {
    // Targets appear a little after the deployment is created.
    if (awsErrorName(error) === 'DeploymentTargetDoesNotExistException') return undefined;
    throw error;
  }
}
