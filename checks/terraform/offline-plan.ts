import { writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { AwsCall } from './aws-read-server.ts';
import { openOfflineWorkspace } from './offline-workspace.ts';
import type { PlanJson } from './plan-json.ts';
import { describeRun, type RunResult } from './run.ts';
import type { TerraformSetup } from './setup.ts';

export interface OfflinePlanOptions {
  /** Configuration to plan: a root (its aws provider and backend are overridden) or a module without a provider. */
  dir: string;
  /** Directory copied along with `dir` so relative module sources resolve; default the parent of `dir`. */
  treeRoot?: string;
  /** Variable files, in order (absolute, or relative to `dir`). */
  varFiles?: string[];
  /** Variable values; they win over the files. */
  vars?: Record<string, unknown>;
  /** Account id data.aws_caller_identity returns; default 111122223333. */
  accountId?: string;
  /** Zone letters data.aws_availability_zones returns per region; default a to f. */
  zoneLetters?: string[];
  /** Provider region when `dir` has no provider block of its own; default us-east-1. */
  region?: string;
}

export interface OfflinePlan {
  /** `terraform show -json` of the saved plan. */
  plan: PlanJson;
  /** AWS calls the provider made while planning (answered from the loopback server). */
  awsCalls: AwsCall[];
  /** The terraform commands run (init, plan, show). */
  runs: RunResult[];
}

export class OfflinePlanError extends Error {
  constructor(
    message: string,
    readonly runs: RunResult[],
  ) {
    super(message);
    this.name = 'OfflinePlanError';
  }
}

/**
 * Plans a configuration with the real AWS provider and no AWS account: dummy keys, every skip_* check on, and
 * every AWS endpoint on a loopback server that answers the caller-identity and availability-zone reads.
 * Policy documents, partitions and regions are computed by the provider itself, so the plan shows them rendered.
 * Works in an offline workspace (a copy of the tree; the working tree is never written), so `plan` and `show` share
 * one provider, and returns `terraform show -json` of the plan.
 */
export async function planOffline(setup: TerraformSetup, options: OfflinePlanOptions): Promise<OfflinePlan> {
  const dir = resolve(options.dir);
  const workspace = await openOfflineWorkspace(setup, {
    treeRoot: options.treeRoot ?? dirname(dir),
    roots: [dir],
    region: options.region,
    accountId: options.accountId,
    zoneLetters: options.zoneLetters,
    name: `plan-${basename(dir)}`,
  });
  const runs: RunResult[] = [];
  try {
    const step = async (args: string[]): Promise<RunResult> => {
      const result = await workspace.run(dir, args, { allowFailure: true });
      runs.push(result);
      if (result.exitCode !== 0) {
        throw new OfflinePlanError(`offline plan of ${dir} failed:\n${describeRun(result)}`, runs);
      }
      return result;
    };
    const varArgs = (options.varFiles ?? []).map((file) => `-var-file=${resolve(dir, file)}`);
    if (options.vars) {
      const varsFile = join(workspace.scratchDir, 'offline-plan.tfvars.json');
      writeFileSync(varsFile, JSON.stringify(options.vars, null, 2));
      varArgs.push(`-var-file=${varsFile}`);
    }
    await step(['init', '-input=false', '-no-color']);
    await step(['plan', '-input=false', '-no-color', '-lock=false', '-out=offline.tfplan', ...varArgs]);
    const shown = await step(['show', '-json', '-no-color', 'offline.tfplan']);
    return { plan: JSON.parse(shown.stdout) as PlanJson, awsCalls: workspace.awsCalls(), runs };
  } finally {
    await workspace.close();
  }
}
