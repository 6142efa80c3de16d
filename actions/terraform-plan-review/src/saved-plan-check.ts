import { readZipEntry } from './zip-entry';

/** The identity of a state snapshot: its lineage (one per state, set at creation) and serial (one per write). */
export interface StateVersion {
  lineage: string;
  serial: number;
}

/** What the plan job records beside the saved plan. */
export interface PlanMetadata {
  commit: string;
  environment: string;
}

export interface SavedPlanCheck {
  environment: string;
  metadata: PlanMetadata;
  /** The commit this run applies. */
  applyingCommit: string;
  /** The state the plan was made from (the saved plan's `tfstate`); undefined for a plan made with no state. */
  planState: StateVersion | undefined;
  /** `terraform state pull` now; undefined when the backend holds no state yet. */
  currentState: StateVersion | undefined;
}

/**
 * Why a saved plan must not be applied: made for another environment or from another commit than the one this
 * run applies, or from an older state than the one it would change (another apply wrote it since). Empty when
 * the plan is exactly what is being applied.
 */
export function savedPlanProblems(check: SavedPlanCheck): string[] {
  const problems: string[] = [];
  const replan = 'Re-plan: run terraform-apply again for this commit and approve the new plan.';
  if (check.metadata.environment !== check.environment) {
    problems.push(`The saved plan is for ${check.metadata.environment}, not ${check.environment}. ${replan}`);
  }
  if (check.metadata.commit !== check.applyingCommit) {
    problems.push(
      `The saved plan was made from commit ${check.metadata.commit}, but this run applies ${check.applyingCommit}. ${replan}`,
    );
  }
  const planned = check.planState;
  const current = check.currentState;
  if (current && !planned) {
    problems.push(
      `The saved plan was made with no state, but ${check.environment} has state now (serial ${current.serial}): ` +
        `another apply ran since. ${replan}`,
    );
  } else if (current && planned) {
    if (current.lineage !== planned.lineage) {
      problems.push(
        `The saved plan was made from state lineage ${planned.lineage}, but ${check.environment}'s state is lineage ` +
          `${current.lineage} (replaced or re-created since). ${replan}`,
      );
    } else if (current.serial !== planned.serial) {
      problems.push(
        `The saved plan was made from state serial ${planned.serial}, but ${check.environment}'s state is at serial ` +
          `${current.serial}: it changed since the plan. ${replan}`,
      );
    }
  }
  return problems;
}

/** The state version a saved plan (the `terraform plan -out` file) was made from. */
export function planStateVersion(savedPlan: Buffer, origin: string): StateVersion | undefined {
  let state: Buffer | undefined;
  try {
    state = readZipEntry(savedPlan, 'tfstate');
  } catch (error) {
    throw new Error(
      `${origin} is not a saved Terraform plan (${(error as Error).message}): give the file of \`terraform plan -out\``,
    );
  }
  if (!state || state.length === 0) return undefined;
  return stateVersion(state.toString('utf8'), `${origin} (its tfstate)`);
}

/** Lineage and serial of a state file (`terraform state pull`); undefined for empty output (no state yet). */
export function stateVersion(text: string, origin: string): StateVersion | undefined {
  if (text.trim() === '') return undefined;
  let state: { lineage?: unknown; serial?: unknown };
  try {
    state = JSON.parse(text) as typeof state;
  } catch (error) {
    throw new Error(
      `${origin} is not a Terraform state (${(error as Error).message}): give the output of \`terraform state pull\``,
    );
  }
  if (typeof state.lineage !== 'string' || typeof state.serial !== 'number') {
    throw new Error(`${origin} has no lineage and serial: give the output of \`terraform state pull\``);
  }
  if (state.lineage === '') return undefined;
  return { lineage: state.lineage, serial: state.serial };
}
