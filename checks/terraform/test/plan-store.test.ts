import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OfflinePlan, OfflinePlanOptions } from '../offline-plan.ts';
import { createPlanStore, planKey } from '../plan-store.ts';
import type { TerraformSetup } from '../setup.ts';

let scratch: string;
let setup: TerraformSetup;
let tree: string;
let storeDir: string;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'plan-store-'));
  const mirror = join(scratch, 'mirror', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
  mkdirSync(mirror, { recursive: true });
  writeFileSync(join(mirror, 'terraform-provider-aws_v5.100.0_x5'), 'provider');
  setup = {
    binary: process.execPath,
    mirror: join(scratch, 'mirror'),
    cliConfigFile: join(scratch, 'terraform.rc'),
    pluginCacheDir: join(scratch, 'plugins'),
    workDir: scratch,
    env: {},
    copyEnv: {},
  };
  tree = join(scratch, 'terraform');
  mkdirSync(join(tree, 'platform'), { recursive: true });
  mkdirSync(join(tree, 'environments'), { recursive: true });
  writeFileSync(join(tree, 'platform', 'main.tf'), 'resource "aws_sns_topic" "alarms" {}\n');
  writeFileSync(join(tree, 'environments', 'dev.tfvars'), 'environment = "dev"\n');
  storeDir = join(scratch, 'store');
});

afterEach(() => rmSync(scratch, { recursive: true, force: true }));

const options = (): OfflinePlanOptions => ({
  dir: join(tree, 'platform'),
  varFiles: ['../environments/dev.tfvars'],
  vars: { aws_region: 'eu-west-1' },
  accountId: '123456789012',
});

/** A planner that counts its calls and answers with a plan naming the call. */
function countingPlanner(delayMs = 0) {
  const calls: OfflinePlanOptions[] = [];
  const planner = async (_setup: TerraformSetup, asked: OfflinePlanOptions): Promise<OfflinePlan> => {
    calls.push(asked);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return {
      plan: {
        format_version: '1.2',
        terraform_version: '1.11.4',
        planned_values: { outputs: { call: { sensitive: false, value: calls.length } }, root_module: {} },
      },
      awsCalls: [{ service: 'sts', action: 'GetCallerIdentity', region: 'eu-west-1' }],
      runs: [],
    };
  };
  return { calls, planner };
}

describe('planKey', () => {
  it('is the same for the same files and options', () => {
    expect(planKey(setup, options())).toBe(planKey(setup, { ...options() }));
  });

  it('changes with a file of the tree, a variable file, a variable, the account and the mirror', () => {
    const keys = new Set([planKey(setup, options())]);
    writeFileSync(join(tree, 'platform', 'main.tf'), 'resource "aws_sns_topic" "alerts" {}\n');
    keys.add(planKey(setup, options()));
    writeFileSync(join(tree, 'environments', 'dev.tfvars'), 'environment = "qa"\n');
    keys.add(planKey(setup, options()));
    keys.add(planKey(setup, { ...options(), vars: { aws_region: 'us-east-1' } }));
    keys.add(planKey(setup, { ...options(), accountId: '210987654321' }));
    writeFileSync(join(setup.mirror, 'extra'), 'another provider');
    keys.add(planKey(setup, options()));
    expect(keys.size).toBe(6);
  });

  it("ignores Terraform's working data and state in the tree", () => {
    const before = planKey(setup, options());
    mkdirSync(join(tree, 'platform', '.terraform'));
    writeFileSync(join(tree, 'platform', '.terraform', 'terraform.tfstate'), '{}');
    writeFileSync(join(tree, 'platform', 'terraform.tfstate'), '{}');
    expect(planKey(setup, options())).toBe(before);
  });
});

describe('createPlanStore', () => {
  it('plans once for stores sharing a directory, as test files in different workers do', async () => {
    const { calls, planner } = countingPlanner(50);
    const first = createPlanStore(setup, { dir: storeDir, planner, pollMs: 10 });
    const second = createPlanStore(setup, { dir: storeDir, planner, pollMs: 10 });
    const [a, b, c] = await Promise.all([first.plan(options()), second.plan(options()), first.plan(options())]);
    expect(calls).toHaveLength(1);
    expect(b.plan).toEqual(a.plan);
    expect(c).toBe(a);
    expect(b.awsCalls).toEqual(a.awsCalls);
    expect(readdirSync(storeDir)).toEqual([`${planKey(setup, options())}.json`]);
  });

  it('plans again once the configuration changed', async () => {
    const { calls, planner } = countingPlanner();
    await createPlanStore(setup, { dir: storeDir, planner }).plan(options());
    writeFileSync(join(tree, 'platform', 'main.tf'), 'resource "aws_sns_topic" "alerts" {}\n');
    const after = await createPlanStore(setup, { dir: storeDir, planner }).plan(options());
    expect(calls).toHaveLength(2);
    expect(after.plan.planned_values?.outputs?.call?.value).toBe(2);
  });

  it('keeps no failed plan and no lock, so the next request plans again', async () => {
    let attempts = 0;
    const store = createPlanStore(setup, {
      dir: storeDir,
      planner: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('terraform plan failed');
        return { plan: { format_version: '1.2', terraform_version: '1.11.4' }, awsCalls: [], runs: [] };
      },
    });
    await expect(store.plan(options())).rejects.toThrow('terraform plan failed');
    expect(readdirSync(storeDir)).toEqual([]);
    await expect(store.plan(options())).resolves.toMatchObject({ plan: { format_version: '1.2' } });
    expect(attempts).toBe(2);
  });

  it('takes over the lock of a process that died while planning', async () => {
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(exited.stdout);
    mkdirSync(storeDir, { recursive: true });
    const lock = join(storeDir, `${planKey(setup, options())}.lock`);
    writeFileSync(lock, String(deadPid));
    const { calls, planner } = countingPlanner();
    await createPlanStore(setup, { dir: storeDir, planner, waitMs: 5_000 }).plan(options());
    expect(calls).toHaveLength(1);
    expect(existsSync(lock)).toBe(false);
  });

  it('waits for a live owner of the lock, and plans itself once the wait is over', async () => {
    mkdirSync(storeDir, { recursive: true });
    writeFileSync(join(storeDir, `${planKey(setup, options())}.lock`), String(process.ppid));
    const { calls, planner } = countingPlanner();
    const started = Date.now();
    await createPlanStore(setup, { dir: storeDir, planner, waitMs: 300, pollMs: 20 }).plan(options());
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(calls).toHaveLength(1);
  });

  it('keeps only the newest plans', () => {
    mkdirSync(storeDir, { recursive: true });
    for (let index = 0; index < 5; index += 1) {
      const file = join(storeDir, `old-${index}.json`);
      writeFileSync(file, '{}');
      const time = new Date(Date.UTC(2026, 0, 1 + index));
      utimesSync(file, time, time);
    }
    createPlanStore(setup, { dir: storeDir, keep: 2 });
    expect(readdirSync(storeDir).sort()).toEqual(['old-3.json', 'old-4.json']);
  });
});
