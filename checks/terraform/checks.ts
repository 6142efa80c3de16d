import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { createLimiter, type Limiter } from './limiter.ts';
import { removeChecksums } from './offline-copy.ts';
import { describeRun, runTerraform, type RunResult } from './run.ts';
import type { TerraformSetup } from './setup.ts';
import { startInstalledProvider, type SharedProvider } from './shared-provider.ts';

/** One thing Terraform must accept: `terraform <args>` in a configuration directory, after `init` when asked. */
export interface TerraformCheck {
  name: string;
  /** Directory terraform runs in. */
  dir: string;
  args: string[];
  /** Run `terraform init -backend=false` in `dir` first (once per directory, shared by its checks). */
  init: boolean;
  /**
   * Run in a scratch copy holding only these paths (relative to `treeRoot`; `dir` must be inside it) instead of the
   * working tree, for tests that need a fraction of a configuration.
   */
  isolated?: { treeRoot: string; paths: string[] };
}

export interface CheckOutcome {
  check: TerraformCheck;
  ok: boolean;
  /** The commands run for this check (its directory's init included), in order. */
  runs: RunResult[];
  /** Every command with its output, for a failure message. */
  report: string;
}

/** Test files of terraform/platform/tests run with every environment's tfvars. */
export const SHARED_PLATFORM_TESTS = 'contract.tftest.hcl';
/** Platform test files named after no environment run with this environment's tfvars. */
export const DEFAULT_ENVIRONMENT = 'dev';
/**
 * The platform test file that exercises only variable validation. Validation conditions can read nothing but
 * variables, so it runs against platform's variables.tf alone: the same rules without planning the whole platform
 * seven times (about 18 CPU-seconds of mocked plans for 0.2 s).
 */
export const VARIABLE_TESTS = 'variables.tftest.hcl';

/**
 * What `npm test` (and `npm run tf:test`) asks of the repository's Terraform: formatting and every
 * `terraform test` suite (each validates its root first): storage, secrets, the module suites, and platform once per
 * environment with its tfvars.
 */
export function repositoryChecks(repoRoot: string): TerraformCheck[] {
  const terraform = join(repoRoot, 'terraform');
  const platform = join(terraform, 'platform');
  const environments = readdirSync(join(terraform, 'environments'))
    .filter((name) => name.endsWith('.tfvars'))
    .map((name) => basename(name, '.tfvars'))
    // <env>.<root>.tfvars (dev.secrets.tfvars) belongs to another root than the platform.
    .filter((name) => !name.includes('.'))
    .sort();
  if (!environments.includes(DEFAULT_ENVIRONMENT)) {
    throw new Error(
      `terraform/environments has no ${DEFAULT_ENVIRONMENT}.tfvars, which platform tests not named after an environment run with`,
    );
  }
  const platformTests = testFiles(platform);
  const checks: TerraformCheck[] = [
    // The slowest first, so two at a time finish together.
    { name: 'modules: terraform test', dir: join(terraform, 'modules'), args: ['test', '-no-color'], init: true },
    ...environments.map((environment) => ({
      name: `platform (${environment}): terraform test`,
      dir: platform,
      args: [
        'test',
        '-no-color',
        `-var-file=../environments/${environment}.tfvars`,
        ...platformTests
          .filter((file) => platformTestEnvironments(file, environments).includes(environment))
          .map((file) => `-filter=tests/${file}`),
      ],
      init: true,
    })),
    ...(platformTests.includes(VARIABLE_TESTS)
      ? [
          {
            name: 'platform variables: terraform test',
            dir: platform,
            args: [
              'test',
              '-no-color',
              `-var-file=../environments/${DEFAULT_ENVIRONMENT}.tfvars`,
              `-filter=tests/${VARIABLE_TESTS}`,
            ],
            init: true,
            isolated: {
              treeRoot: terraform,
              paths: [
                'platform/variables.tf',
                'platform/versions.tf',
                'platform/.terraform.lock.hcl',
                `platform/tests/${VARIABLE_TESTS}`,
                'modules/tests/mocks',
                'environments',
              ],
            },
          },
        ]
      : []),
    // No separate `terraform validate`: every root has a suite, and `terraform test` validates the whole
    // configuration before its first run (test/checks.test.ts shows an error in an unused resource failing it).
    { name: 'storage: terraform test', dir: join(terraform, 'storage'), args: ['test', '-no-color'], init: true },
    { name: 'secrets: terraform test', dir: join(terraform, 'secrets'), args: ['test', '-no-color'], init: true },
    {
      name: 'terraform fmt -check -recursive',
      dir: terraform,
      args: ['fmt', '-check', '-recursive', '-diff', '-no-color'],
      init: false,
    },
  ];
  return checks;
}

/** Environments whose tfvars a platform test file runs with. */
export function platformTestEnvironments(file: string, environments: string[]): string[] {
  if (file === VARIABLE_TESTS) return [];
  if (file === SHARED_PLATFORM_TESTS) return environments;
  const named = basename(file, '.tftest.hcl');
  return environments.includes(named) ? [named] : [DEFAULT_ENVIRONMENT];
}

function testFiles(dir: string): string[] {
  const tests = join(dir, 'tests');
  return existsSync(tests)
    ? readdirSync(tests)
        .filter((name) => name.endsWith('.tftest.hcl'))
        .sort()
    : [];
}

export interface StartOptions {
  /** Shared with other terraform work of the caller (at most this many processes at once). */
  limiter?: Limiter;
  /**
   * Attach every check after `init` to one long-running provider (see shared-provider.ts) instead of letting each
   * run block start its own; default true. `init` itself always installs from the mirror and checks the lock file.
   */
  shareProvider?: boolean;
}

export interface StartedChecks {
  /** One promise per check name; they never reject. */
  outcomes: Map<string, Promise<CheckOutcome>>;
  /** Waits for every check and stops the shared provider. */
  close(): Promise<void>;
}

/**
 * Starts every check. Each directory is initialised once, into its own data directory under the setup's work dir,
 * so the working tree gets no `.terraform` and concurrent runs of one configuration stay apart.
 */
export function startChecks(
  setup: TerraformSetup,
  checks: TerraformCheck[],
  options: StartOptions = {},
): StartedChecks {
  const limit = options.limiter ?? createLimiter(2);
  const inits = new Map<string, Promise<RunResult>>();
  const dataDir = (dir: string): string => join(setup.workDir, 'data', relative('/', dir).replace(/[/\\]/g, '_'));
  const initOnce = (dir: string, baseEnv: NodeJS.ProcessEnv): Promise<RunResult> => {
    let init = inits.get(dir);
    if (!init) {
      mkdirSync(dataDir(dir), { recursive: true });
      init = limit(() =>
        runTerraform(setup, ['init', '-backend=false', '-input=false', '-no-color'], {
          cwd: dir,
          dataDir: dataDir(dir),
          baseEnv,
        }),
      );
      inits.set(dir, init);
    }
    return init;
  };
  let provider: Promise<SharedProvider | undefined> | undefined;
  // Started from the first initialised directory, so it is the provider version the lock file selected.
  const sharedProvider = (dir: string): Promise<SharedProvider | undefined> => {
    if (options.shareProvider === false) return Promise.resolve(undefined);
    provider ??= startInstalledProvider(dataDir(dir), setup.env, setup.workDir);
    return provider;
  };
  const isolatedCopies = new Map<string, string>();
  // The directory a check runs in: `dir` itself, or its place in a scratch copy of the paths it asks for.
  const workingDir = (check: TerraformCheck): string => {
    if (!check.isolated) return check.dir;
    const { treeRoot, paths } = check.isolated;
    let copyRoot = isolatedCopies.get(check.name);
    if (!copyRoot) {
      copyRoot = join(setup.workDir, 'isolated', check.name.replace(/[^A-Za-z0-9]+/g, '-'));
      for (const path of paths) cpSync(join(treeRoot, path), join(copyRoot, path), { recursive: true });
      // The lock file's checksums are verified by the check of the whole configuration; here they would only cost
      // another hash of the provider (see copyTerraformTree).
      for (const path of paths.filter((candidate) => basename(candidate) === '.terraform.lock.hcl')) {
        removeChecksums(join(copyRoot, path));
      }
      isolatedCopies.set(check.name, copyRoot);
    }
    return join(copyRoot, relative(treeRoot, check.dir));
  };
  const outcomes = new Map<string, Promise<CheckOutcome>>();
  for (const original of checks) {
    const check = original.isolated ? { ...original, dir: workingDir(original) } : original;
    // An isolated copy's lock file has no checksums, so it keeps away from the plugin cache (TerraformSetup.copyEnv).
    const baseEnv = original.isolated ? setup.copyEnv : setup.env;
    const outcome = (async (): Promise<CheckOutcome> => {
      const runs: RunResult[] = [];
      const env: NodeJS.ProcessEnv = {};
      try {
        if (check.init) {
          const init = await initOnce(check.dir, baseEnv);
          runs.push(init);
          if (init.exitCode !== 0) return finish(check, runs);
          const shared = await sharedProvider(check.dir);
          if (shared) env.TF_REATTACH_PROVIDERS = shared.reattach;
        }
        runs.push(
          await limit(() =>
            runTerraform(setup, check.args, {
              cwd: check.dir,
              dataDir: dataDir(check.dir),
              baseEnv,
              env,
            }),
          ),
        );
        return finish(check, runs);
      } catch (error) {
        return { check, ok: false, runs, report: `${check.name}: ${(error as Error).message}` };
      }
    })();
    outcomes.set(check.name, outcome);
  }
  return {
    outcomes,
    close: async () => {
      await Promise.all(outcomes.values());
      const shared = await provider?.catch(() => undefined);
      await shared?.stop();
    },
  };
}

function finish(check: TerraformCheck, runs: RunResult[]): CheckOutcome {
  const last = runs[runs.length - 1];
  // `terraform test` that finds no test files succeeds; a suite that ran nothing proves nothing.
  const ranTests = check.args[0] !== 'test' || /Success! [1-9]\d* passed, 0 failed/.test(last?.stdout ?? '');
  return {
    check,
    ok: runs.every((run) => run.exitCode === 0) && ranTests,
    runs,
    report: runs.map(describeRun).join('\n\n'),
  };
}

/** One line per check: its result and how long its own command took. */
export function summarise(outcome: CheckOutcome): string {
  const last = outcome.runs[outcome.runs.length - 1];
  const tally = last ? /(\d+ passed, \d+ failed(?:, \d+ skipped)?)/.exec(last.stdout)?.[1] : undefined;
  const seconds = last ? (last.durationMs / 1000).toFixed(1) : '?';
  return `${outcome.ok ? 'ok  ' : 'FAIL'} ${outcome.check.name}${tally ? ` (${tally})` : ''} in ${seconds} s`;
}
