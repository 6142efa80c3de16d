import { existsSync, statSync } from 'node:fs';
import * as core from '@actions/core';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
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
import { rollOutCodeDeployService } from './codedeploy-rollout';
import { createEcsGateway } from './ecs-gateway';
import { rollOutEcsServices } from './ecs-rollout';
import { planRollout, resolveTaskDefinitionArns, type RolloutTarget, type ServicePlan } from './rollout-plan';
import { overallStatus, rolloutSummary, shortTaskDefinition } from './rollout-summary';
import { readTaskDefinitionFile } from './task-definition-file';
import type { ServiceResult } from './types';

const ACTION = 'ecs-rollout';

export const INPUT_NAMES = [
  'cluster',
  'services',
  'task-definition',
  'wait',
  'timeout-minutes',
  'poll-interval-seconds',
  'rollback',
  'max-failed-tasks',
  'desired-count',
  'force-new-deployment',
  'dry-run',
  'codedeploy-application',
  'codedeploy-deployment-group',
  'codedeploy-deployment-config',
  'codedeploy-appspec',
  'aws-region',
] as const;

interface Inputs {
  cluster: string;
  targets: RolloutTarget[];
  /** The `task-definition` input: the file of services listed without their own. */
  sharedDefinition?: string;
  wait: boolean;
  timeoutMinutes: number;
  pollIntervalSeconds: number;
  rollback: 'auto' | 'off';
  maxFailedTasks: number;
  desiredCount?: number;
  forceNewDeployment: boolean;
  dryRun: boolean;
  codeDeployApplication?: string;
  codeDeployDeploymentGroup?: string;
  codeDeployDeploymentConfig?: string;
  codeDeployAppspec?: string;
  awsRegion?: string;
}

function getInputs(): Inputs {
  const reader = new InputReader();
  for (const problem of unknownInputProblems(INPUT_NAMES)) reader.problem(problem);
  const cluster = reader.string('cluster', { required: true });
  const sharedDefinition = reader.existingFile('task-definition');
  const targets: RolloutTarget[] = [];
  for (const item of reader.list('services', { required: true })) {
    const eq = item.indexOf('=');
    const service = (eq < 0 ? item : item.slice(0, eq)).trim();
    const path = eq < 0 ? sharedDefinition : item.slice(eq + 1).trim();
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(service)) {
      reader.problem(`input "services": "${service}" is not a service name (letters, digits, - and _)`);
    } else if (targets.some((t) => t.service === service)) {
      reader.problem(`input "services": service "${service}" is listed twice`);
    } else if (eq < 0 && !sharedDefinition) {
      reader.problem(
        `input "services": service "${service}" has no task definition: set "task-definition" or write ${service}=path/to/task-definition.json`,
      );
    } else if (path && eq >= 0 && (!existsSync(path) || !statSync(path).isFile())) {
      reader.problem(
        `input "services": the task definition of "${service}", ${path}, is not an existing file (looked in ${process.cwd()})`,
      );
    } else if (path) {
      targets.push({ service, taskDefinitionPath: path });
    }
  }
  const timeoutMinutes = reader.minutes('timeout-minutes', { max: 360 });
  const inputs: Inputs = {
    cluster,
    targets,
    sharedDefinition,
    wait: reader.boolean('wait'),
    timeoutMinutes,
    pollIntervalSeconds: reader.integer('poll-interval-seconds', { min: 1, max: 300 }),
    rollback: reader.enumeration('rollback', ['auto', 'off'] as const),
    maxFailedTasks: reader.integer('max-failed-tasks', { min: 0, max: 1000 }),
    desiredCount: reader.optionalInteger('desired-count', { min: 0, max: 100_000 }),
    forceNewDeployment: reader.boolean('force-new-deployment'),
    dryRun: reader.boolean('dry-run'),
    codeDeployApplication: reader.optionalString('codedeploy-application'),
    codeDeployDeploymentGroup: reader.optionalString('codedeploy-deployment-group'),
    codeDeployDeploymentConfig: reader.optionalString('codedeploy-deployment-config'),
    codeDeployAppspec: reader.existingFile('codedeploy-appspec'),
    awsRegion: reader.optionalString('aws-region'),
  };
  reader.done();
  return inputs;
}

/** The AWS clients the rollout uses, built from the action's client configuration; tests inject fakes. */
export interface RolloutDependencies {
  ecs(config: AwsClientConfig): Pick<ECSClient, 'send'>;
  codeDeploy(config: AwsClientConfig): Pick<CodeDeployClient, 'send'>;
}

const awsClients: RolloutDependencies = {
  ecs: (config) => new ECSClient(config),
  codeDeploy: (config) => new CodeDeployClient(config),
};

/** The action: plans, registers, updates and follows the services, then writes outputs and the job summary. */
export function run(dependencies: Partial<RolloutDependencies> = {}): Promise<void> {
  return runAction(() => rollout({ ...awsClients, ...dependencies }));
}

async function rollout(clients: RolloutDependencies): Promise<void> {
  const started = Date.now();
  const inputs = getInputs();
  const config = awsClientConfig({ action: ACTION, version: BERTH_ACTIONS_VERSION, region: inputs.awsRegion });
  const gateway = createEcsGateway(clients.ecs(config), inputs.cluster);
  const log = (line: string): void => core.info(line);
  const timeoutText = `${inputs.timeoutMinutes} minute${inputs.timeoutMinutes === 1 ? '' : 's'} (timeout-minutes)`;

  const plans = await planRollout(gateway, inputs.targets, {
    cluster: inputs.cluster,
    desiredCount: inputs.desiredCount,
    forceNewDeployment: inputs.forceNewDeployment,
    readDefinition: (path) =>
      readTaskDefinitionFile(path, path === inputs.sharedDefinition ? 'task-definition' : 'services'),
  });
  for (const plan of plans) logPlan(plan);
  const seconds = (): number => Math.round((Date.now() - started) / 1000);

  if (inputs.dryRun) {
    const reused = [...new Set(plans.map((p) => p.reuseArn ?? ''))];
    core.setOutput('task-definition-arn', reused.length === 1 ? reused[0] : '');
    core.setOutput('deployment-ids', '{}');
    core.setOutput('status', 'unchanged');
    core.setOutput('duration-seconds', String(seconds()));
    core.info('Dry run: nothing was registered or updated.');
    await appendJobSummary(
      rolloutSummary({ cluster: inputs.cluster, status: 'dry-run', plans, results: [], durationSeconds: seconds() }),
    );
    return;
  }

  const updating = plans.filter((p) => p.needsUpdate);
  const codeDeployPlans = updating.filter((p) => p.controller === 'CODE_DEPLOY');
  const codeDeploy = codeDeployPlans.length > 0 ? codeDeploySettings(inputs, codeDeployPlans) : undefined;
  const arns = await resolveTaskDefinitionArns(gateway, plans, log);
  const registeredAt = Date.now();
  if (codeDeploy && inputs.desiredCount !== undefined) {
    core.warning(
      'desired-count is not applied to CodeDeploy-controlled services: their task count follows the deployment group.',
    );
  }
  const pollIntervalMs = inputs.pollIntervalSeconds * 1000;
  const timeoutMs = inputs.timeoutMinutes * 60_000;
  const [ecsResults, codeDeployResults] = await Promise.all([
    rollOutEcsServices(
      updating.filter((p) => p.controller === 'ECS'),
      arns,
      {
        gateway,
        wait: inputs.wait,
        timeoutMs,
        timeoutText,
        pollIntervalMs,
        rollback: inputs.rollback,
        maxFailedTasks: inputs.maxFailedTasks,
        desiredCount: inputs.desiredCount,
        forceNewDeployment: inputs.forceNewDeployment,
        registeredAt,
        log,
      },
    ),
    Promise.all(
      codeDeployPlans.map((plan) =>
        rollOutCodeDeployService(plan, arns.get(plan.service)!, {
          client: clients.codeDeploy(config),
          application: codeDeploy!.application,
          deploymentGroup: codeDeploy!.deploymentGroup,
          deploymentConfig: inputs.codeDeployDeploymentConfig,
          appspecPath: inputs.codeDeployAppspec,
          wait: inputs.wait,
          pollIntervalMs,
          timeoutMs,
          timeoutText,
          description: `berth ecs-rollout of ${shortTaskDefinition(arns.get(plan.service))} (${runDescription()})`,
          registeredAt,
          log,
        }),
      ),
    ),
  ]);
  const byService = new Map<string, ServiceResult>([...ecsResults, ...codeDeployResults].map((r) => [r.service, r]));
  const results = plans.map((plan) => byService.get(plan.service) ?? unchangedResult(plan));
  const status = overallStatus(results);

  const distinctArns = [...new Set(results.map((r) => r.newTaskDefinitionArn))];
  core.setOutput(
    'task-definition-arn',
    distinctArns.length === 1
      ? distinctArns[0]
      : JSON.stringify(Object.fromEntries(results.map((r) => [r.service, r.newTaskDefinitionArn]))),
  );
  core.setOutput(
    'deployment-ids',
    JSON.stringify(Object.fromEntries(results.filter((r) => r.deploymentId).map((r) => [r.service, r.deploymentId]))),
  );
  core.setOutput('status', status);
  core.setOutput('duration-seconds', String(seconds()));
  await appendJobSummary(
    rolloutSummary({ cluster: inputs.cluster, status, plans, results, durationSeconds: seconds() }),
  );

  const failed = results.filter((r) => r.status === 'failed' || r.status === 'rolled-back');
  for (const r of failed) {
    const alarms = r.triggeredAlarms.length > 0 ? ` (alarm ${r.triggeredAlarms.join(', ')})` : '';
    core.error(`${r.failure ?? 'failed'}${r.rollback ? `. Rollback: ${r.rollback}` : ''}`, {
      title: `ecs-rollout: ${r.service} ${r.status}${alarms}`,
    });
  }
  if (failed.length > 0) {
    throw new ActionError(
      `Rollout ${status}: ${failed.map((r) => `${r.service} ${r.status}`).join(', ')}. ` +
        'The job summary lists the stopped tasks and service events; fix the cause, then re-run.',
    );
  }
  core.info(`Rollout ${status}: ${results.map((r) => `${r.service} ${r.status}`).join(', ')} in ${seconds()} s`);
}

/** The workflow run, as CodeDeploy's deployment description names it (the runner's GITHUB_* variables). */
function runDescription(): string {
  return `${process.env.GITHUB_REPOSITORY ?? ''} run ${process.env.GITHUB_RUN_ID ?? ''}`;
}

function logPlan(plan: ServicePlan): void {
  core.info(`[${plan.service}] runs ${plan.oldTaskDefinitionArn} (${plan.controller}); ${plan.reason}`);
  if (plan.diff.length === 0) return;
  core.startGroup(
    `[${plan.service}] changes from ${shortTaskDefinition(plan.oldTaskDefinitionArn)} to ${plan.taskDefinitionPath}`,
  );
  for (const line of plan.diff) core.info(line);
  core.endGroup();
}

function codeDeploySettings(
  inputs: Inputs,
  plans: readonly ServicePlan[],
): { application: string; deploymentGroup: string } {
  const names = plans.map((p) => p.service).join(', ');
  if (!inputs.codeDeployApplication || !inputs.codeDeployDeploymentGroup) {
    throw new ActionError(
      `Service ${names} uses the CODE_DEPLOY deployment controller: set the "codedeploy-application" and ` +
        '"codedeploy-deployment-group" inputs to the CodeDeploy application and deployment group of the service.',
    );
  }
  if (plans.length > 1) {
    throw new ActionError(
      `Services ${names} all use CodeDeploy, but a deployment group belongs to one service: deploy them in separate steps.`,
    );
  }
  return { application: inputs.codeDeployApplication, deploymentGroup: inputs.codeDeployDeploymentGroup };
}

function unchangedResult(plan: ServicePlan): ServiceResult {
  return {
    service: plan.service,
    status: 'unchanged',
    oldTaskDefinitionArn: plan.oldTaskDefinitionArn,
    newTaskDefinitionArn: plan.oldTaskDefinitionArn,
    controller: plan.controller,
    durationSeconds: 0,
    tasksStarted: 0,
    tasksFailed: 0,
    triggeredAlarms: [],
    times: {},
    stoppedTasks: [],
    events: [],
  };
}
