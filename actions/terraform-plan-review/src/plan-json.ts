/**
 * The parts of `terraform show -json <plan>` (format 1.x) the review reads. Values are the provider's attributes;
 * what is known only after apply is absent from `after` and `true` in `after_unknown`; what is sensitive is `true`
 * at the same path of `before_sensitive` / `after_sensitive` (and must never reach a comment).
 */
export interface PlanJson {
  format_version: string;
  terraform_version?: string;
  variables?: Record<string, { value?: unknown }>;
  planned_values?: { outputs?: Record<string, PlannedOutput>; root_module?: PlanModule };
  output_changes?: Record<string, OutputChange>;
  resource_changes?: ResourceChange[];
  resource_drift?: ResourceChange[];
  errored?: boolean;
}

export interface PlanModule {
  resources?: { address: string; mode: string; type: string; values?: Record<string, unknown> }[];
  child_modules?: PlanModule[];
}

export interface PlannedOutput {
  sensitive: boolean;
  value?: unknown;
}

export interface OutputChange {
  actions: string[];
  after_unknown?: unknown;
  after_sensitive?: unknown;
}

export interface ResourceChange {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  action_reason?: string;
  change: {
    actions: string[];
    before?: unknown;
    after?: unknown;
    after_unknown?: unknown;
    before_sensitive?: unknown;
    after_sensitive?: unknown;
    replace_paths?: unknown[][];
  };
}

/** Parses `terraform show -json` output; the problem names the file and what to run instead. */
export function parsePlanJson(text: string, origin: string): PlanJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${origin} is not JSON (${(error as Error).message}): give the output of \`terraform show -json <saved plan>\``,
    );
  }
  const plan = value as Partial<PlanJson>;
  if (typeof value !== 'object' || value === null || typeof plan.format_version !== 'string') {
    throw new Error(`${origin} has no format_version: give the output of \`terraform show -json <saved plan>\``);
  }
  if (!plan.format_version.startsWith('1.')) {
    throw new Error(`${origin} has plan format ${plan.format_version}; this action reads format 1.x (Terraform 1.0+)`);
  }
  return plan as PlanJson;
}
