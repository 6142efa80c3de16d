import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { GetAliasCommand, ListVersionsByFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { lookupTerraformOutput } from '@berth/kit';
import type { PlanJson, PlanModule } from './plan-json';
import { KNOWN_AFTER_APPLY, plannedOutputs } from './planned-outputs';
import type { PlanSummary } from './plan-summary';
import { describeRunningServices, type EcsSender } from './running-services';

export type LambdaSender = Pick<LambdaClient, 'send'>;

/** One thing that differs from what Terraform and Berth's deploys set. */
export interface DriftFinding {
  subject: string;
  expected: string;
  actual: string;
}

export interface DriftRequest {
  plan: PlanJson;
  summary: PlanSummary;
  /** `terraform plan -detailed-exitcode`: 0 no changes, 2 changes (1 is an error and never reaches here). */
  exitCode: number;
  ecs: EcsSender;
  lambda: LambdaSender;
}

/**
 * What Terraform cannot see because the platform leaves it to the deploys (ignore_changes on task_definition,
 * desired_count and the notifier alias's version): each service runs the newest ACTIVE revision of its family
 * (the one Berth's last deploy registered) with a desired count inside its autoscaling range, and the notifier's
 * alias points at the newest published version with no canary weights left over.
 */
export async function findReleaseDrift(request: Omit<DriftRequest, 'summary' | 'exitCode'>): Promise<DriftFinding[]> {
  const outputs = plannedOutputs(request.plan);
  const findings: DriftFinding[] = [];
  const cluster = known(lookupTerraformOutput(outputs, 'cluster_name'));
  const services = lookupTerraformOutput(outputs, 'ecs_service_names');
  const families = lookupTerraformOutput(outputs, 'task_definition_families');
  if (cluster && isStringMap(services)) {
    const running = await describeRunningServices(request.ecs, cluster, Object.values(services));
    const ranges = autoscalingRanges(request.plan);
    for (const [service, ecsName] of Object.entries(services)) {
      const current = running.get(ecsName);
      if (!current) {
        findings.push({
          subject: `service ${service}`,
          expected: `ECS service ${ecsName} running`,
          actual: 'not found',
        });
        continue;
      }
      const family = isStringMap(families) ? families[service] : undefined;
      if (family) {
        const latest = await request.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
        const latestArn = latest.taskDefinition?.taskDefinitionArn;
        if (latestArn && latestArn !== current.taskDefinitionArn) {
          findings.push({
            subject: `service ${service} task definition`,
            expected: `${revisionOf(latestArn)} (newest revision Berth registered)`,
            actual: revisionOf(current.taskDefinitionArn),
          });
        }
      }
      const range = ranges.get(`service/${cluster}/${ecsName}`);
      if (range && (current.desiredCount < range.min || current.desiredCount > range.max)) {
        findings.push({
          subject: `service ${service} desired count`,
          expected: `${range.min}–${range.max} (autoscaling range)`,
          actual: String(current.desiredCount),
        });
      }
    }
  }
  const notifier = lookupTerraformOutput(outputs, 'notifier_deployment') as Record<string, unknown> | undefined;
  const functionName = known(notifier?.function_name);
  const aliasName = known(notifier?.alias);
  if (functionName && aliasName) findings.push(...(await notifierAliasDrift(request.lambda, functionName, aliasName)));
  return findings;
}

async function notifierAliasDrift(lambda: LambdaSender, functionName: string, alias: string): Promise<DriftFinding[]> {
  const found: DriftFinding[] = [];
  const current = await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }));
  let newest = 0;
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker }));
    for (const version of page.Versions ?? []) {
      const number = Number(version.Version);
      if (Number.isInteger(number) && number > newest) newest = number;
    }
    marker = page.NextMarker;
  } while (marker);
  if (newest > 0 && current.FunctionVersion !== String(newest)) {
    found.push({
      subject: `notifier alias ${alias}`,
      expected: `version ${newest} (newest published)`,
      actual: `version ${current.FunctionVersion ?? '?'}`,
    });
  }
  const weights = Object.entries(current.RoutingConfig?.AdditionalVersionWeights ?? {});
  if (weights.length > 0) {
    found.push({
      subject: `notifier alias ${alias} routing`,
      expected: 'all traffic on one version',
      actual: weights.map(([version, weight]) => `${Math.round(weight * 100)}% on version ${version}`).join(', '),
    });
  }
  return found;
}

/** min/max of every aws_appautoscaling_target in the plan, by resource id (`service/<cluster>/<service>`). */
function autoscalingRanges(plan: PlanJson): Map<string, { min: number; max: number }> {
  const ranges = new Map<string, { min: number; max: number }>();
  const walk = (module: PlanModule | undefined): void => {
    for (const resource of module?.resources ?? []) {
      const values = resource.values ?? {};
      if (resource.type === 'aws_appautoscaling_target' && typeof values.resource_id === 'string') {
        ranges.set(values.resource_id, { min: Number(values.min_capacity), max: Number(values.max_capacity) });
      }
    }
    for (const child of module?.child_modules ?? []) walk(child);
  };
  walk(plan.planned_values?.root_module);
  return ranges;
}

/** The issue body for an environment's drift; undefined when there is none. */
export function driftReport(
  environment: string,
  request: Pick<DriftRequest, 'summary' | 'exitCode'>,
  findings: readonly DriftFinding[],
  runUrl: string,
): string | undefined {
  const terraform = request.exitCode === 2;
  if (!terraform && findings.length === 0) return undefined;
  const parts = [`Drift found in **${environment}** by [this run](${runUrl}).`];
  if (terraform) {
    const { counts, addresses, driftedAddresses } = request.summary;
    parts.push(
      `**Terraform** would change: ${counts.create} to create, ${counts.update} to update, ${counts.replace} to replace, ${counts.destroy} to destroy.`,
    );
    const listed = [
      ...new Set([
        ...driftedAddresses,
        ...addresses.replace,
        ...addresses.destroy,
        ...addresses.update,
        ...addresses.create,
      ]),
    ];
    if (listed.length > 0) {
      parts.push(
        listed
          .slice(0, 100)
          .map((address) => `- \`${address}\``)
          .join('\n') + (listed.length > 100 ? `\n- … and ${listed.length - 100} more` : ''),
      );
    }
  }
  if (findings.length > 0) {
    parts.push(
      '**Release** (what the deploys set):\n\n| What | Expected | Actual |\n| --- | --- | --- |\n' +
        findings.map((finding) => `| ${finding.subject} | ${finding.expected} | ${finding.actual} |`).join('\n'),
    );
  }
  parts.push(
    'Apply the platform again (terraform-apply) or redeploy, or change the configuration to match; the next run closes this issue when nothing differs.',
  );
  return parts.join('\n\n');
}

function known(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value !== KNOWN_AFTER_APPLY ? value : undefined;
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((v) => typeof v === 'string' && v !== KNOWN_AFTER_APPLY)
  );
}

function revisionOf(arn: string): string {
  return arn.split('/').pop() ?? arn;
}
