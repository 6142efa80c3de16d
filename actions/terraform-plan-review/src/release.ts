import { lookupTerraformOutput } from '@berth/kit';
import { renderTaskDefinition } from '@berth/render-task-definition/render';
import type { PlanJson } from './plan-json';
import { KNOWN_AFTER_APPLY, plannedOutputs, planVariables } from './planned-outputs';
import { diffTaskDefinitions, type ReleaseChange, type RenderedTaskDefinition } from './release-diff';
import { describeRunningServices, type EcsSender, type RunningService } from './running-services';

export interface ServiceTemplate {
  /** The service's name: the key of the platform's per-service output maps (ecs_service_names). */
  service: string;
  templatePath: string;
  templateText: string;
}

/** The release of one service: what would run after merge beside what runs now. */
export interface ServiceRelease {
  service: string;
  ecsServiceName?: string;
  /** Task definition ARN of the running primary deployment; undefined for a service not running yet. */
  runningTaskDefinition?: string;
  changes: ReleaseChange[];
  /** Why the template could not be rendered (then there are no changes to show). */
  problems: string[];
}

export interface ReleaseRequest {
  environment: string;
  plan: PlanJson;
  templates: readonly ServiceTemplate[];
  /** Tag of the image the merge will build; empty keeps the running image (the release diff then shows none). */
  imageTag: string;
  ecs: EcsSender;
}

/** Image a new service gets in the rendering: its repository is only known once the merge builds it. */
export const BUILT_ON_MERGE = '(built on merge)';

/**
 * Renders every service's task definition from the plan's planned outputs and variables (what the deploy after
 * this change will render) and diffs it against the task definition the service runs now.
 */
export async function reviewRelease(request: ReleaseRequest): Promise<ServiceRelease[]> {
  const outputs = plannedOutputs(request.plan);
  const cluster = lookupTerraformOutput(outputs, 'cluster_name');
  const names = new Map<string, string>();
  for (const template of request.templates) {
    const name = lookupTerraformOutput(outputs, `ecs_service_names.${template.service}`);
    if (typeof name === 'string' && name !== KNOWN_AFTER_APPLY) names.set(template.service, name);
  }
  const running =
    typeof cluster === 'string' && cluster !== KNOWN_AFTER_APPLY && names.size > 0
      ? await describeRunningServices(request.ecs, cluster, [...names.values()])
      : new Map<string, RunningService>();
  return request.templates.map((template) => {
    const ecsServiceName = names.get(template.service);
    const current = ecsServiceName ? running.get(ecsServiceName) : undefined;
    const result = renderTaskDefinition({
      templateText: template.templateText,
      templatePath: template.templatePath,
      environment: request.environment,
      tfvars: planVariables(request.plan),
      terraformOutputs: withUnknownMembers(outputs, template.templateText),
      images: imagesFor(template, current, request.imageTag),
      environmentVariables: [],
      secrets: [],
    });
    if (!result.taskDefinition) {
      return {
        service: template.service,
        ecsServiceName,
        runningTaskDefinition: current?.taskDefinitionArn,
        changes: [],
        problems: result.problems,
      };
    }
    return {
      service: template.service,
      ecsServiceName,
      runningTaskDefinition: current?.taskDefinitionArn,
      changes: diffTaskDefinitions(result.taskDefinition as RenderedTaskDefinition, current?.taskDefinition),
      problems: [],
    };
  });
}

/** Each container keeps its running image, or the running repository at the merge's tag. */
function imagesFor(
  template: ServiceTemplate,
  current: RunningService | undefined,
  imageTag: string,
): Map<string, string> {
  const images = new Map<string, string>();
  const containers = containerNames(template.templateText);
  for (const container of containers) {
    const image = current?.taskDefinition.containerDefinitions.find((c) => c.name === container)?.image;
    if (!image) images.set(container, BUILT_ON_MERGE);
    else images.set(container, imageTag ? `${repositoryOf(image)}:${imageTag}` : image);
  }
  return images;
}

function containerNames(templateText: string): string[] {
  return [...templateText.matchAll(/\$\{images\.([A-Za-z0-9_.-]+)\}/g)].map((match) => match[1]!);
}

/** registry/path of an image reference, without its tag or digest. */
export function repositoryOf(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/**
 * A placeholder such as `${task_role_arns.api-gateway}` whose whole output is unknown until apply (a map of ARNs
 * the plan creates) renders as the marker too, instead of failing as undefined.
 */
function withUnknownMembers(outputs: Record<string, unknown>, templateText: string): Record<string, unknown> {
  const result: Record<string, unknown> = { ...outputs };
  for (const match of templateText.matchAll(/(?<!\$)\$\{([A-Za-z0-9_-]+)\.([A-Za-z0-9_.-]+)\}/g)) {
    const [, root, member] = match as unknown as [string, string, string];
    if (outputs[root] !== KNOWN_AFTER_APPLY) continue;
    const holder = (typeof result[root] === 'object' ? result[root] : {}) as Record<string, unknown>;
    holder[member.split('.')[0]!] = KNOWN_AFTER_APPLY;
    result[root] = holder;
  }
  return result;
}
