import type { PlanJson, PlanResource } from '@berth/terraform-harness';
import { plannedResources, readDataSources } from '@berth/terraform-harness';

/**
 * Reading a plan of terraform/platform: its resources with the values Terraform computed, and the resources an
 * attribute refers to when the value itself is only known after apply (a role policy's role, a subscription's topic).
 */

interface ConfigResource {
  address: string;
  expressions?: Record<string, { references?: string[] }>;
}

interface ConfigModule {
  resources?: ConfigResource[];
  module_calls?: Record<string, { module: ConfigModule }>;
}

export interface PlatformPlan {
  plan: PlanJson;
  resources: PlanResource[];
  /** Data sources read while planning (a plan, apply or destroy reads each again). */
  dataSources: PlanResource[];
}

export function platformPlan(plan: PlanJson): PlatformPlan {
  return {
    plan,
    resources: plannedResources(plan).filter((resource) => resource.mode === 'managed'),
    dataSources: readDataSources(plan),
  };
}

/** `module.service["api"].aws_ecs_service.this` → `module.service["api"]`; root resources → ''. */
export function moduleAddressOf(resource: PlanResource): string {
  const own = `${resource.type}.${resource.name}`;
  const at = resource.address.lastIndexOf(`${own}`);
  return at > 0 ? resource.address.slice(0, at - 1) : '';
}

function configModule(plan: PlanJson, moduleAddress: string): ConfigModule | undefined {
  const configuration = (plan as { configuration?: { root_module?: ConfigModule } }).configuration;
  let module = configuration?.root_module;
  for (const match of moduleAddress.matchAll(/module\.([\w-]+)(?:\[[^\]]*\])?/g)) {
    module = module?.module_calls?.[match[1] ?? '']?.module;
  }
  return module;
}

export function ofType(platform: PlatformPlan, type: string): PlanResource[] {
  return platform.resources.filter((resource) => resource.type === type);
}

/** The one resource of a type in the plan; an error naming what was found otherwise. */
export function onlyOfType(platform: PlatformPlan, type: string): PlanResource {
  const found = ofType(platform, type);
  if (found.length !== 1) {
    throw new Error(
      `the platform plan has ${found.length} ${type} resources (${found.map((r) => r.address).join(', ') || 'none'}); expected one`,
    );
  }
  return found[0] as PlanResource;
}

/**
 * The resource that `attribute` of `resource` refers to in the configuration (`role = aws_iam_role.task.id`),
 * in the same module instance. Throws when the attribute refers to no resource of that module.
 */
export function referencedResource(platform: PlatformPlan, resource: PlanResource, attribute: string): PlanResource {
  const moduleAddress = moduleAddressOf(resource);
  const config = configModule(platform.plan, moduleAddress)?.resources?.find(
    (candidate) => candidate.address === `${resource.type}.${resource.name}`,
  );
  const references = config?.expressions?.[attribute]?.references ?? [];
  const base = `${moduleAddress === '' ? '' : `${moduleAddress}.`}`;
  for (const reference of references) {
    const match = /^(aws_\w+)\.([\w-]+)(\[[^\]]+\])?/.exec(reference);
    if (!match) continue;
    const prefix = `${base}${match[1]}.${match[2]}`;
    // aws_subnet.public[0]: that instance; aws_subnet.private with count.index: the instance of the same index.
    const wanted = match[3] ?? (resource.index === undefined ? undefined : `[${JSON.stringify(resource.index)}]`);
    const targets = platform.resources.filter(
      (candidate) => candidate.address === prefix || candidate.address.startsWith(`${prefix}[`),
    );
    if (targets.length === 1) return targets[0] as PlanResource;
    const indexed = targets.find((candidate) => wanted !== undefined && candidate.address === `${prefix}${wanted}`);
    if (indexed) return indexed;
  }
  throw new Error(
    `${resource.address}: ${attribute} is unknown at plan time and refers to no single resource of its module ` +
      `(references: ${references.join(', ') || 'none'})`,
  );
}

/** A string attribute known at plan time, or the value of `fallback` when the plan leaves it unknown. */
export function knownString(resource: PlanResource, attribute: string, fallback?: () => string): string {
  const value = resource.values[attribute];
  if (typeof value === 'string' && value !== '') return value;
  if (fallback) return fallback();
  throw new Error(`${resource.address}: ${attribute} is not known at plan time`);
}

export function tagsOf(resource: PlanResource): Record<string, string> {
  const tags = resource.values.tags_all;
  return typeof tags === 'object' && tags !== null ? (tags as Record<string, string>) : {};
}
