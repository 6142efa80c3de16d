import type { TerraformOutputs } from '@berth/kit';
import type { PlanJson } from './plan-json';

/** What stands in for an output the plan cannot know yet, or must not show. */
export const KNOWN_AFTER_APPLY = '(known after apply)';
export const SENSITIVE_OUTPUT = '(sensitive)';

/**
 * The root outputs as they will be after the apply, for rendering task definitions the way the deploy will:
 * unknown outputs (a resource the plan creates) and sensitive outputs become markers, never values.
 */
export function plannedOutputs(plan: PlanJson): TerraformOutputs {
  const outputs: TerraformOutputs = {};
  for (const [name, output] of Object.entries(plan.planned_values?.outputs ?? {})) {
    if (output.sensitive) outputs[name] = SENSITIVE_OUTPUT;
    else if (plan.output_changes?.[name]?.after_unknown === true || !('value' in output)) {
      outputs[name] = KNOWN_AFTER_APPLY;
    } else outputs[name] = markUnknown(output.value, plan.output_changes?.[name]?.after_unknown);
  }
  for (const [name, change] of Object.entries(plan.output_changes ?? {})) {
    if (!(name in outputs) && change.actions.some((action) => action !== 'delete')) outputs[name] = KNOWN_AFTER_APPLY;
  }
  return outputs;
}

/** The variables the plan was made with (tfvars and -var), which templates read as tfvars placeholders. */
export function planVariables(plan: PlanJson): Record<string, unknown> {
  return Object.fromEntries(Object.entries(plan.variables ?? {}).map(([name, variable]) => [name, variable.value]));
}

/** Fills the unknown parts of a partly known output (a map with one new ARN) with the marker. */
function markUnknown(value: unknown, unknown: unknown): unknown {
  if (unknown === true) return KNOWN_AFTER_APPLY;
  if (typeof unknown !== 'object' || unknown === null) return value;
  if (Array.isArray(value)) return value.map((item, i) => markUnknown(item, (unknown as unknown[])[i]));
  const result: Record<string, unknown> = { ...(value as Record<string, unknown> | null) };
  for (const [key, mark] of Object.entries(unknown)) result[key] = markUnknown(result[key], mark);
  return result;
}
