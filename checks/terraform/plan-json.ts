/**
 * The parts of `terraform show -json <plan>` the tests read (format 1.x). Values are the provider's attribute
 * values; anything known only after apply is absent from `after` and `true` in `after_unknown`.
 */
export interface PlanJson {
  format_version: string;
  terraform_version: string;
  planned_values?: { outputs?: Record<string, { sensitive: boolean; value?: unknown }>; root_module: PlanModule };
  resource_changes?: ResourceChange[];
  prior_state?: { values?: { root_module: PlanModule } };
  variables?: Record<string, { value: unknown }>;
}

export interface PlanModule {
  address?: string;
  resources?: PlanResource[];
  child_modules?: PlanModule[];
}

export interface PlanResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  values: Record<string, unknown>;
}

export interface ResourceChange {
  address: string;
  module_address?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  change: {
    actions: string[];
    after: Record<string, unknown> | null;
    after_unknown?: Record<string, unknown>;
  };
}

/** Every resource the plan would create or keep, across all modules, with its planned attribute values. */
export function plannedResources(plan: PlanJson): PlanResource[] {
  return plan.planned_values ? flatten(plan.planned_values.root_module) : [];
}

/** Data sources read while planning (their results live in the plan's prior state). */
export function readDataSources(plan: PlanJson): PlanResource[] {
  const root = plan.prior_state?.values?.root_module;
  return root ? flatten(root).filter((resource) => resource.mode === 'data') : [];
}

/** Planned resources of one type, e.g. `aws_iam_role`. */
export function resourcesOfType(plan: PlanJson, type: string): PlanResource[] {
  return plannedResources(plan).filter((resource) => resource.mode === 'managed' && resource.type === type);
}

/** The planned resource at an address such as `module.state_bucket.aws_s3_bucket_policy.this`; throws if absent. */
export function resourceAt(plan: PlanJson, address: string): PlanResource {
  const found = [...plannedResources(plan), ...readDataSources(plan)].find((resource) => resource.address === address);
  if (!found) throw new Error(`the plan has no resource ${address}`);
  return found;
}

function flatten(module: PlanModule): PlanResource[] {
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(flatten)];
}
