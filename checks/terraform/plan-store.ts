import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { planOffline, type OfflinePlan, type OfflinePlanOptions } from './offline-plan.ts';
import type { TerraformSetup } from './setup.ts';

/**
 * Offline plans shared between processes: several test files (each in its own vitest worker) need the same plan
 * of the same configuration, and an offline plan costs seconds of CPU. The first process to ask plans and writes
 * the result into `dir` under a key made of everything the plan depends on (the bytes of every file of the copied
 * tree and of the variable files, the options, terraform and the provider mirror); the others wait for that file.
 * A changed file makes a new key, so a stored plan is never stale; a plan that failed is not stored.
 */
export interface PlanStore {
  plan(options: OfflinePlanOptions): Promise<OfflinePlan>;
}

export interface PlanStoreOptions {
  /** Where plans are kept; shared by every process that should share plans. */
  dir: string;
  /** How long to wait for another process's plan before planning here anyway; default 10 minutes. */
  waitMs?: number;
  /** How often to look for another process's plan; default 200 ms. */
  pollMs?: number;
  /** Stored plans kept at most (the most recently written); default 40. */
  keep?: number;
  /** The planner (planOffline unless a test gives another). */
  planner?: (setup: TerraformSetup, options: OfflinePlanOptions) => Promise<OfflinePlan>;
}

/** What a stored plan file holds: the plan and the AWS calls, not the commands' output. */
type StoredPlan = Pick<OfflinePlan, 'plan' | 'awsCalls'>;

export function createPlanStore(setup: TerraformSetup, options: PlanStoreOptions): PlanStore {
  const planner = options.planner ?? planOffline;
  const waitMs = options.waitMs ?? 600_000;
  const pollMs = options.pollMs ?? 200;
  const inProcess = new Map<string, Promise<OfflinePlan>>();
  mkdirSync(options.dir, { recursive: true });
  prune(options.dir, options.keep ?? 40);

  async function planShared(key: string, planOptions: OfflinePlanOptions): Promise<OfflinePlan> {
    const file = join(options.dir, `${key}.json`);
    const lock = join(options.dir, `${key}.lock`);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const stored = readStored(file);
      if (stored) return { ...stored, runs: [] };
      if (takeLock(lock)) {
        try {
          const result = await planner(setup, planOptions);
          const partial = `${file}.${process.pid}.tmp`;
          const stored: StoredPlan = { plan: result.plan, awsCalls: result.awsCalls };
          writeFileSync(partial, JSON.stringify(stored));
          // A rename is atomic: a reader sees the whole file or none.
          renameSync(partial, file);
          return result;
        } finally {
          rmSync(lock, { force: true });
        }
      }
      if (Date.now() > deadline) return planner(setup, planOptions);
      await new Promise((resolveWait) => setTimeout(resolveWait, pollMs));
    }
  }

  return {
    plan(planOptions) {
      const key = planKey(setup, planOptions);
      let shared = inProcess.get(key);
      if (!shared) {
        shared = planShared(key, planOptions);
        inProcess.set(key, shared);
        // A failed plan is tried again by the next caller rather than remembered.
        shared.catch(() => inProcess.delete(key));
      }
      return shared;
    },
  };
}

/** Removes all but the `keep` newest stored plans: keys of edited configurations are never asked for again. */
function prune(dir: string, keep: number): void {
  // Another process may remove or add files meanwhile: one that vanished is simply not counted.
  const stored = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => {
      const mtimeMs = statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs;
      return mtimeMs === undefined ? [] : [{ path: join(dir, name), mtimeMs }];
    })
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const old of stored.slice(keep)) rmSync(old.path, { force: true });
}

function readStored(file: string): StoredPlan | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StoredPlan;
  } catch {
    return undefined;
  }
}

/**
 * Creates the lock file, or finds it held. A lock whose process is gone (killed mid-plan) is taken over, so a
 * crashed run never makes the next one wait.
 */
function takeLock(lock: string): boolean {
  try {
    const fd = openSync(lock, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  let owner: number;
  try {
    owner = Number(readFileSync(lock, 'utf8').trim() || Number.NaN);
  } catch {
    // Released between the two calls: try again.
    return takeLock(lock);
  }
  if (Number.isInteger(owner) && processIsAlive(owner)) return false;
  rmSync(lock, { force: true });
  return takeLock(lock);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Files a plan never reads: Terraform's working data and state. */
const IGNORED = /(^|\/)(\.terraform|\.terraform-data)(\/|$)|\.tfstate(\.backup)?$|\.tfplan$/;

/** Everything an offline plan depends on, hashed: the tree planOffline copies, the variable files, the options. */
export function planKey(setup: TerraformSetup, options: OfflinePlanOptions): string {
  const dir = resolve(options.dir);
  const treeRoot = resolve(options.treeRoot ?? join(dir, '..'));
  const hash = createHash('sha256');
  const add = (label: string, value: string | Buffer): void => {
    hash.update(`${label}\0${value.length}\0`);
    hash.update(value);
  };
  add('terraform', `${setup.binary} ${statSync(setup.binary).mtimeMs} ${statSync(setup.binary).size}`);
  add('mirror', mirrorFingerprint(setup.mirror));
  add('options', JSON.stringify({ ...options, dir: relative(treeRoot, dir), treeRoot: undefined }));
  for (const file of treeFiles(treeRoot)) add(`tree:${relative(treeRoot, file)}`, readFileSync(file));
  for (const file of options.varFiles ?? []) add(`var-file:${file}`, readFileSync(resolve(dir, file)));
  return hash.digest('hex').slice(0, 32);
}

function treeFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (IGNORED.test(relative(root, path))) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  walk(root);
  return files;
}

/** Names and sizes of the mirror's files: a provider added or replaced changes every key. */
function mirrorFingerprint(mirror: string): string {
  const lines: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else lines.push(`${relative(mirror, path)} ${statSync(path).size}`);
    }
  };
  walk(mirror);
  return lines.join('\n');
}
