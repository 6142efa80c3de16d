import type { PlanJson, ResourceChange } from './plan-json';

export type ChangeKind = 'create' | 'update' | 'replace' | 'destroy';

export interface PlanSummary {
  counts: Record<ChangeKind, number>;
  /** Addresses per kind, in plan order. */
  addresses: Record<ChangeKind, string[]>;
  /** Output names whose value changes. */
  outputsChanged: string[];
  /** Resources changed outside Terraform since the last apply (the plan's refresh found them). */
  driftedAddresses: string[];
}

/** What one resource change does; reads and no-ops are not changes a reviewer approves. */
export function changeKind(actions: readonly string[]): ChangeKind | undefined {
  const has = (action: string): boolean => actions.includes(action);
  if (has('create') && has('delete')) return 'replace';
  if (has('create')) return 'create';
  if (has('delete')) return 'destroy';
  if (has('update')) return 'update';
  return undefined;
}

export function summarizePlan(plan: PlanJson): PlanSummary {
  const addresses: Record<ChangeKind, string[]> = { create: [], update: [], replace: [], destroy: [] };
  for (const change of managed(plan.resource_changes)) {
    const kind = changeKind(change.change.actions);
    if (kind) addresses[kind].push(change.address);
  }
  const outputsChanged = Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => change.actions.some((action) => action !== 'no-op'))
    .map(([name]) => name);
  return {
    counts: {
      create: addresses.create.length,
      update: addresses.update.length,
      replace: addresses.replace.length,
      destroy: addresses.destroy.length,
    },
    addresses,
    outputsChanged,
    driftedAddresses: managed(plan.resource_drift).map((change) => change.address),
  };
}

export function hasChanges(summary: PlanSummary): boolean {
  return Object.values(summary.counts).some((count) => count > 0) || summary.outputsChanged.length > 0;
}

function managed(changes: ResourceChange[] | undefined): ResourceChange[] {
  return (changes ?? []).filter((change) => change.mode === 'managed');
}
