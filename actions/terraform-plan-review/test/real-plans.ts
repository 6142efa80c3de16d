import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createPlanStore,
  describeRun,
  platformPlanOptions,
  prepareTerraform,
  repositoryPlanStore,
  runTerraform,
  TEST_TARGET,
  type OfflinePlan,
  type OfflinePlanOptions,
  type TerraformSetup,
} from '@berth/terraform-harness';
import type { PlanJson } from '../src/plan-json';

// Real plans for the tests, made by the repository's Terraform harness (checks/terraform): the prod platform plan
// the other test files share through the plan store (planned once per run), and the small fixture root below,
// applied for real and planned again, for the changes a first plan never has (replace, update, destroy).

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
export const FIXTURE_ROOT = join(import.meta.dirname, 'fixtures', 'replacement-root');

export const setup = prepareTerraform();
export type Setup = TerraformSetup;

/** The shared prod plan of terraform/platform (every resource created; over 400 kB of JSON). */
export async function prodPlatformPlan(terraform: TerraformSetup): Promise<PlanJson> {
  const { plan } = await repositoryPlanStore(terraform, repoRoot).plan(
    platformPlanOptions(repoRoot, 'prod', TEST_TARGET),
  );
  return plan as unknown as PlanJson;
}

/** The variables of the fixture's first apply and of the plan on top of it. */
const FIRST = { generation: 1, keep_retired: true, setting: 'a', add_new: false, secret: 'first-secret' };
export const SECOND = {
  generation: 2,
  keep_retired: false,
  setting: 'b',
  add_new: true,
  secret: 'hunter2-plan-secret',
};

/** A saved plan made on top of a real state, and the files a test needs around it. */
export interface FixtureRun {
  dir: string;
  /** `terraform plan -out` file of SECOND on the state of FIRST. */
  savedPlan: string;
  /** `terraform show -json` of it. */
  plan: PlanJson;
  /** `terraform state pull` at plan time. */
  stateAtPlan: string;
  remove(): void;
}

async function terraform(terraform: TerraformSetup, dir: string, args: string[]): Promise<string> {
  const result = await runTerraform(terraform, args, { cwd: dir, dataDir: join(dir, '.terraform-data') });
  if (result.exitCode !== 0) throw new Error(describeRun(result));
  return result.stdout;
}

const varArgs = (vars: Record<string, unknown>): string[] =>
  Object.entries(vars).map(([name, value]) => `-var=${name}=${String(value)}`);

/**
 * Copies the fixture root, applies FIRST (terraform_data only: nothing leaves the machine), and saves a plan of
 * SECOND. The working copy stays, so a test can change the state after the plan.
 */
export async function planFixture(setupReady: TerraformSetup): Promise<FixtureRun> {
  const dir = mkdtempSync(join(setupReady.workDir, 'plan-review-fixture-'));
  cpSync(FIXTURE_ROOT, dir, { recursive: true });
  await terraform(setupReady, dir, ['init', '-input=false', '-no-color']);
  await terraform(setupReady, dir, ['apply', '-input=false', '-no-color', '-auto-approve', ...varArgs(FIRST)]);
  const savedPlan = join(dir, 'second.tfplan');
  await terraform(setupReady, dir, ['plan', '-input=false', '-no-color', `-out=${savedPlan}`, ...varArgs(SECOND)]);
  const plan = JSON.parse(await terraform(setupReady, dir, ['show', '-json', '-no-color', savedPlan])) as PlanJson;
  const stateAtPlan = await terraform(setupReady, dir, ['state', 'pull']);
  return { dir, savedPlan, plan, stateAtPlan, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Another apply after the plan was saved (what a second run would do): the state's serial moves on. */
export async function applyAgain(setupReady: TerraformSetup, run: FixtureRun): Promise<string> {
  await terraform(setupReady, run.dir, [
    'apply',
    '-input=false',
    '-no-color',
    '-auto-approve',
    ...varArgs({ ...FIRST, setting: 'moved-on' }),
  ]);
  return terraform(setupReady, run.dir, ['state', 'pull']);
}

/**
 * The fixture's plan JSON through a plan store of its own (keyed by the fixture's files, the variables and the
 * terraform binary), so test files share one plan per run instead of applying again each.
 */
export async function fixturePlan(setupReady: TerraformSetup): Promise<PlanJson> {
  const store = createPlanStore(setupReady, {
    dir: join(repoRoot, 'node_modules', '.cache', 'berth-plan-review-plans'),
    planner: async (): Promise<OfflinePlan> => {
      const run = await planFixture(setupReady);
      try {
        return { plan: run.plan as unknown as OfflinePlan['plan'], awsCalls: [], runs: [] };
      } finally {
        run.remove();
      }
    },
  });
  const options: OfflinePlanOptions = { dir: FIXTURE_ROOT, vars: SECOND };
  const { plan } = await store.plan(options);
  return plan as unknown as PlanJson;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, JSON.stringify(value));
  return path;
}
