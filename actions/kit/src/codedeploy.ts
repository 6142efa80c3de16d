import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  type AppSpecContent,
  type CodeDeployClient,
  type DeploymentInfo,
  type DeploymentTarget,
  type LifecycleEvent,
} from '@aws-sdk/client-codedeploy';
import { awsErrorName } from './aws';
import { errorMessage } from './errors';
import { PollPacer } from './poll-pacer';

/**
 * Following one CodeDeploy deployment of any compute platform (ECS blue/green, Lambda alias shifting) to its end,
 * and explaining how it ended: which alarm stopped it, which lifecycle hook failed, whether CodeDeploy rolled back.
 * Imported as `@berth/kit/codedeploy`, so actions that do not use CodeDeploy do not bundle its client.
 */

export type CodeDeployClientLike = Pick<CodeDeployClient, 'send'>;

export interface AppSpecDeployment {
  application: string;
  deploymentGroup: string;
  /** Empty uses the deployment group's configuration. */
  deploymentConfig?: string;
  description?: string;
  /** The AppSpec as CodeDeploy takes it inline: its text and the text's SHA-256. */
  appspec: AppSpecContent;
}

/** What to check after CreateDeployment refused, for the end of the action's message. */
export const CREATE_DEPLOYMENT_HINT =
  'Check the "codedeploy-*" inputs and that the role may call codedeploy:CreateDeployment.';

/**
 * Starts a deployment of an AppSpec given as content (ECS and Lambda alike). A refusal is returned, not thrown: a
 * sentence naming the application and group and CodeDeploy's reason, which the action completes with what the
 * refusal left in place and CREATE_DEPLOYMENT_HINT.
 */
export async function createAppSpecDeployment(
  client: CodeDeployClientLike,
  deployment: AppSpecDeployment,
): Promise<{ deploymentId: string } | { refusal: string }> {
  try {
    const created = await client.send(
      new CreateDeploymentCommand({
        applicationName: deployment.application,
        deploymentGroupName: deployment.deploymentGroup,
        deploymentConfigName: deployment.deploymentConfig,
        description: deployment.description,
        revision: { revisionType: 'AppSpecContent', appSpecContent: deployment.appspec },
      }),
    );
    if (!created.deploymentId) throw new Error('CreateDeployment returned no deployment id');
    return { deploymentId: created.deploymentId };
  } catch (error) {
    return {
      refusal: `CreateDeployment in application ${deployment.application}, group ${deployment.deploymentGroup} failed: ${errorMessage(error)}.`,
    };
  }
}

/** A line of progress and when it was first seen, for the log and the summary's timeline. */
export interface CodeDeployNews {
  at: number;
  text: string;
}

/** What was seen of one deployment while it was followed. */
export interface FollowedDeployment {
  deploymentId: string;
  /** The last answer of GetDeployment; its status is final unless the deadline passed first (`timedOut`). */
  info?: DeploymentInfo;
  timedOut: boolean;
  /** The target's lifecycle events as last seen (hooks, traffic steps), with any diagnostics. */
  lifecycleEvents: LifecycleEvent[];
  /** Each new percentage of traffic on the new revision (ECS replacement task set, Lambda target version). */
  trafficShifts: { at: number; percent: number }[];
  news: CodeDeployNews[];
  startedAt: number;
  endedAt: number;
}

export interface FollowOptions {
  client: CodeDeployClientLike;
  pollIntervalMs: number;
  /** Epoch ms after which following stops (the deployment keeps running in CodeDeploy). */
  deadline: number;
  /** Prefix of every log line, e.g. `[api-gateway]`. */
  tag: string;
  log: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const FINISHED = new Set(['Succeeded', 'Failed', 'Stopped']);

/**
 * Polls GetDeployment, and the deployment's target (found once with ListDeploymentTargets) for lifecycle events and
 * traffic, until the deployment finishes or the deadline passes, paced by the kit's PollPacer (first poll at once,
 * backing off while CodeDeploy throttles; any other error is thrown). Each change is logged once.
 */
export async function followCodeDeployDeployment(
  deploymentId: string,
  options: FollowOptions,
): Promise<FollowedDeployment> {
  const now = options.now ?? Date.now;
  const followed: FollowedDeployment = {
    deploymentId,
    timedOut: false,
    lifecycleEvents: [],
    trafficShifts: [],
    news: [],
    startedAt: now(),
    endedAt: now(),
  };
  const seen = new Set<string>();
  const note = (text: string): void => {
    if (seen.has(text)) return;
    seen.add(text);
    followed.news.push({ at: now(), text });
    options.log(`${options.tag} ${text}`);
  };
  const pacer = new PollPacer({
    intervalMs: options.pollIntervalMs,
    firstPoll: 'at-once',
    service: 'CodeDeploy',
    tag: options.tag,
    log: options.log,
    now,
    sleep: options.sleep,
  });
  let targetId: string | undefined;
  /** One look at the deployment and its target; whether the deployment finished. */
  const look = async (): Promise<boolean> => {
    const info = (await options.client.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
    followed.info = info;
    note(`deployment ${deploymentId}: ${info?.status ?? 'unknown'}`);
    targetId ??= await findTargetId(options.client, deploymentId);
    const target = targetId ? await getTarget(options.client, deploymentId, targetId) : undefined;
    if (target) {
      const progress = targetProgress(target);
      followed.lifecycleEvents = progress.lifecycleEvents;
      for (const event of progress.lifecycleEvents) note(describeLifecycleEvent(event));
      const last = followed.trafficShifts.at(-1)?.percent;
      if (progress.trafficPercent !== undefined && progress.trafficPercent !== last) {
        followed.trafficShifts.push({ at: now(), percent: progress.trafficPercent });
        note(`traffic on the new revision: ${progress.trafficPercent}%`);
      }
    }
    return info?.status !== undefined && FINISHED.has(info.status);
  };
  for (;;) {
    const answer = await pacer.poll(look);
    if (answer.answered && answer.value) break;
    if (pacer.isPast(options.deadline)) {
      followed.timedOut = true;
      break;
    }
  }
  followed.endedAt = now();
  return followed;
}

/** A deployment's one target (an ECS service, a Lambda alias); targets appear shortly after creation. */
async function findTargetId(client: CodeDeployClientLike, deploymentId: string): Promise<string | undefined> {
  const response = await client.send(new ListDeploymentTargetsCommand({ deploymentId }));
  return response.targetIds?.[0];
}

async function getTarget(
  client: CodeDeployClientLike,
  deploymentId: string,
  targetId: string,
): Promise<DeploymentTarget | undefined> {
  try {
    return (await client.send(new GetDeploymentTargetCommand({ deploymentId, targetId }))).deploymentTarget;
  } catch (error) {
    if (awsErrorName(error) === 'DeploymentTargetDoesNotExistException') return undefined;
    throw error;
  }
}

/** Lifecycle events and the new revision's share of traffic, whatever the compute platform. */
export function targetProgress(target: DeploymentTarget): {
  lifecycleEvents: LifecycleEvent[];
  trafficPercent?: number;
} {
  if (target.ecsTarget) {
    const green = target.ecsTarget.taskSetsInfo?.find((t) => t.taskSetLabel === 'Green');
    return { lifecycleEvents: target.ecsTarget.lifecycleEvents ?? [], trafficPercent: green?.trafficWeight };
  }
  if (target.lambdaTarget) {
    const weight = target.lambdaTarget.lambdaFunctionInfo?.targetVersionWeight;
    return {
      lifecycleEvents: target.lambdaTarget.lifecycleEvents ?? [],
      // Lambda reports the target version's weight as a fraction of 1.
      trafficPercent: weight === undefined ? undefined : Math.round(weight * 100),
    };
  }
  return { lifecycleEvents: [] };
}

function describeLifecycleEvent(event: LifecycleEvent): string {
  const diagnostics = event.diagnostics;
  const detail =
    diagnostics && (diagnostics.errorCode || diagnostics.message)
      ? ` (${[diagnostics.errorCode, diagnostics.message].filter(Boolean).join(': ')})`
      : '';
  return `${event.lifecycleEventName ?? 'lifecycle event'}: ${event.status ?? 'unknown'}${detail}`;
}

/** The alarm names in CodeDeploy's ALARM_ACTIVE message, e.g. "… activated alarms: <a>, <b>" or "[a, b]". */
export function alarmNamesInMessage(message: string): string[] {
  const match = /alarms?\b[^:]*?\b(?:activated|triggered)\b[^:]*:\s*(.+)$/i.exec(message);
  if (!match) return [];
  return match[1]!
    .split(/,\s*/)
    .map((name) => name.replace(/^[\s<[("']+|[\s>\])"'.]+$/g, ''))
    .filter((name) => /^[\w.\-/#:]+$/.test(name));
}

export type CodeDeployStatus = 'succeeded' | 'rolled-back' | 'failed';

/** How a CodeDeploy rollout ended, in words a person can act on. */
export interface CodeDeployVerdict {
  status: CodeDeployStatus;
  deploymentId: string;
  rollbackDeploymentId?: string;
  /** What went wrong, naming the alarm or the lifecycle hook when one decided it. */
  failure?: string;
  /** What happened to the rollback. */
  rollback?: string;
  /** The cause in a few words, for a timeline bar: "alarm api-5xx", "hook BeforeAllowTraffic failed". */
  cause?: string;
  triggeredAlarms: string[];
  failedHook?: string;
  rollout: FollowedDeployment;
  rollbackFollow?: FollowedDeployment;
}

export interface RolloutOptions extends Omit<FollowOptions, 'deadline'> {
  timeoutMs: number;
  /** How the timeout reads in messages, e.g. "30 minutes (timeout-minutes)". */
  timeoutText: string;
  /** What the rollback restores, e.g. "web:12" or "version 7", for the messages. */
  previousRevision: string;
}

/**
 * Follows a deployment to its end and, when CodeDeploy rolls it back (automatic rollback on failure or on an alarm),
 * the rollback deployment too. The deployment group decides about rollback; this reports what it did.
 */
export async function followCodeDeployRollout(
  deploymentId: string,
  options: RolloutOptions,
): Promise<CodeDeployVerdict> {
  const now = options.now ?? Date.now;
  const rollout = await followCodeDeployDeployment(deploymentId, { ...options, deadline: now() + options.timeoutMs });
  const info = rollout.info;
  if (rollout.timedOut || !info) {
    return {
      status: 'failed',
      deploymentId,
      triggeredAlarms: [],
      rollout,
      failure:
        `CodeDeploy deployment ${deploymentId} did not finish within ${options.timeoutText}; it keeps running in CodeDeploy. ` +
        `Stop it (and roll back) with: aws deploy stop-deployment --deployment-id ${deploymentId} --auto-rollback-enabled`,
      cause: 'timed out',
    };
  }
  if (info.status === 'Succeeded') return { status: 'succeeded', deploymentId, triggeredAlarms: [], rollout };
  const failed = { deploymentId, rollout, ...explainFailure(info, rollout.lifecycleEvents) };
  const rollbackId = info.rollbackInfo?.rollbackDeploymentId;
  if (rollbackId) {
    // CodeDeploy decided to roll back; following its rollback deployment is the same loop as the rollout's.
    options.log(`${options.tag} ${failed.failure}; CodeDeploy is rolling back with deployment ${rollbackId}`);
    const rollbackFollow = await followCodeDeployDeployment(rollbackId, {
      ...options,
      deadline: now() + options.timeoutMs,
    });
    const rolledBack = rollbackFollow.info?.status === 'Succeeded';
    return {
      ...failed,
      status: rolledBack ? 'rolled-back' : 'failed',
      rollbackDeploymentId: rollbackId,
      rollbackFollow,
      rollback: rolledBack
        ? `CodeDeploy rolled back to ${options.previousRevision}: deployment ${rollbackId} succeeded`
        : `CodeDeploy's rollback deployment ${rollbackId} did not succeed ` +
          `(${rollbackFollow.timedOut ? `not finished within ${options.timeoutText}` : (rollbackFollow.info?.status ?? 'unknown')}); ` +
          'check the deployment group in the CodeDeploy console',
    };
  }
  if (info.rollbackInfo?.rollbackMessage) {
    return {
      ...failed,
      status: 'rolled-back',
      rollback: `CodeDeploy rolled back: ${info.rollbackInfo.rollbackMessage}`,
    };
  }
  return {
    ...failed,
    status: 'failed',
    rollback:
      'none: the deployment group has no automatic rollback for this failure, so the previous revision keeps the traffic ' +
      'CodeDeploy had not shifted yet; check the deployment in the CodeDeploy console',
  };
}

/** The failure of a finished, unsuccessful deployment: alarm, failed lifecycle hook, or CodeDeploy's error. */
export function explainFailure(
  info: DeploymentInfo,
  lifecycleEvents: readonly LifecycleEvent[],
): Pick<CodeDeployVerdict, 'failure' | 'cause' | 'triggeredAlarms' | 'failedHook'> {
  const state = (info.status ?? 'failed').toLowerCase();
  const error = info.errorInformation;
  const hook = lifecycleEvents.find((e) => e.status === 'Failed');
  const base = `CodeDeploy deployment ${info.deploymentId} ${state}`;
  if (error?.code === 'ALARM_ACTIVE') {
    const alarms = alarmNamesInMessage(error.message ?? '');
    const named = alarms.length > 0 ? `CloudWatch alarm ${alarms.join(', ')} went off` : 'a CloudWatch alarm went off';
    return {
      failure: `${base}: ${named} (ALARM_ACTIVE: ${error.message ?? 'no message'})`,
      cause: alarms.length > 0 ? `alarm ${alarms.join(', ')}` : 'alarm',
      triggeredAlarms: alarms,
    };
  }
  if (hook) {
    const d = hook.diagnostics;
    const detail = d
      ? [d.errorCode, d.message, d.logTail ? `log: ${d.logTail.trim()}` : undefined].filter(Boolean)
      : [];
    return {
      failure:
        `${base}: lifecycle hook ${hook.lifecycleEventName} failed` +
        (detail.length > 0 ? ` (${detail.join(': ')})` : '') +
        (error ? `; ${error.code ?? 'error'}: ${error.message ?? ''}` : ''),
      cause: `${hook.lifecycleEventName} failed`,
      triggeredAlarms: [],
      failedHook: hook.lifecycleEventName,
    };
  }
  return {
    failure: error ? `${base}: ${error.code ?? 'error'}: ${error.message ?? ''}` : base,
    cause: error?.code ?? state,
    triggeredAlarms: [],
  };
}
