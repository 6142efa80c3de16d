import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { startAwsReadServer, type AwsCall } from './aws-read-server.ts';
import type { PlanJson } from './plan-json.ts';
import { describeRun, runTerraform, type RunResult } from './run.ts';
import type { TerraformSetup } from './setup.ts';
import { startInstalledProvider, type SharedProvider } from './shared-provider.ts';

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
 * Works on a copy of the tree (the working tree is never written) and returns `terraform show -json` of the plan.
 */
export async function planOffline(setup: TerraformSetup, options: OfflinePlanOptions): Promise<OfflinePlan> {
  const dir = resolve(options.dir);
  const treeRoot = resolve(options.treeRoot ?? dirname(dir));
  const inTree = relative(treeRoot, dir);
  if (inTree.startsWith('..')) throw new Error(`planOffline: ${dir} is not inside treeRoot ${treeRoot}`);
  const copyRoot = mkdtempSync(join(setup.workDir, `plan-${basename(dir)}-`));
  const server = await startAwsReadServer({ accountId: options.accountId, zoneLetters: options.zoneLetters });
  const runs: RunResult[] = [];
  let ownProvider: SharedProvider | undefined;
  try {
    copyTerraformTree(treeRoot, copyRoot);
    const copy = join(copyRoot, inTree);
    writeProviderOverride(copy, options.region ?? 'us-east-1');
    const varArgs = (options.varFiles ?? []).map((file) => `-var-file=${resolve(dir, file)}`);
    if (options.vars) {
      const varsFile = join(copyRoot, 'offline-plan.tfvars.json');
      writeFileSync(varsFile, JSON.stringify(options.vars, null, 2));
      varArgs.push(`-var-file=${varsFile}`);
    }
    const env = offlineAwsEnvironment(setup.env, copyRoot, server.url);
    const dataDir = join(copyRoot, '.terraform-data');
    const step = async (args: string[], attach = false): Promise<RunResult> => {
      const result = await runTerraform(setup, args, {
        cwd: copy,
        baseEnv: env,
        env: attach && ownProvider ? { TF_REATTACH_PROVIDERS: ownProvider.reattach } : {},
        dataDir,
      });
      runs.push(result);
      if (result.exitCode !== 0) {
        throw new OfflinePlanError(`offline plan of ${dir} failed:\n${describeRun(result)}`, runs);
      }
      return result;
    };
    await step(['init', '-input=false', '-no-color']);
    // One provider for plan and show (one start instead of two), with the loopback endpoints in its environment.
    ownProvider = await startInstalledProvider(dataDir, env, copyRoot);
    await step(['plan', '-input=false', '-no-color', '-lock=false', '-out=offline.tfplan', ...varArgs], true);
    const shown = await step(['show', '-json', '-no-color', 'offline.tfplan'], true);
    return { plan: JSON.parse(shown.stdout) as PlanJson, awsCalls: [...server.calls], runs };
  } finally {
    await ownProvider?.stop();
    await server.close();
    rmSync(copyRoot, { recursive: true, force: true });
  }
}

function keepInCopy(source: string): boolean {
  const name = basename(source);
  return name !== '.terraform' && !name.endsWith('.tfstate') && !name.endsWith('.tfstate.backup');
}

/**
 * Copies a Terraform tree for commands that must not touch the working tree: without `.terraform`, state files, and
 * with the checksums taken out of each dependency lock file (the versions stay, so init still installs exactly the
 * locked provider). An init that finds checksums hashes the 675 MB provider against them, about 1.2 of its 2
 * CPU-seconds; the repository's own `terraform test` checks (startChecks) init the working tree and verify them.
 */
export function copyTerraformTree(treeRoot: string, copyRoot: string): void {
  cpSync(treeRoot, copyRoot, { recursive: true, filter: (source) => keepInCopy(source) });
  for (const lockFile of lockFilesUnder(copyRoot)) {
    writeFileSync(lockFile, withoutChecksums(readFileSync(lockFile, 'utf8')));
  }
}

/** A dependency lock file's text with its `hashes = [...]` lists removed. */
export function withoutChecksums(lockFile: string): string {
  return lockFile.replace(/^[ \t]*hashes[ \t]*=[ \t]*\[[^\]]*\][ \t]*\r?\n/gm, '');
}

function lockFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => basename(path) === '.terraform.lock.hcl')
    .map((path) => join(dir, path));
}

/**
 * A root's `provider "aws"` is overridden (region and default tags stay as written); a module without one gets a
 * provider block of its own. A root's backend becomes local, so the plan needs no bucket. The endpoints are not
 * here but in the provider's environment (offlineAwsEnvironment): any `endpoints` block, even of one service, costs
 * the provider about 3 CPU-seconds each time Terraform validates its configuration, two or three times a command.
 */
export function writeProviderOverride(dir: string, region: string): void {
  const sources = readdirSync(dir)
    .filter((name) => name.endsWith('.tf'))
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('\n');
  const hasProvider = /^provider\s+"aws"\s*\{/m.test(sources);
  const hasBackend = /^\s+backend\s+"[^"]+"/m.test(sources);
  const settings = [
    ...(hasProvider ? [] : [`  region                      = ${JSON.stringify(region)}`]),
    '  access_key                  = "offline-plan"',
    '  secret_key                  = "offline-plan"',
    '  skip_credentials_validation = true',
    '  skip_requesting_account_id  = true',
    '  skip_metadata_api_check     = true',
    '  skip_region_validation      = true',
    '  s3_use_path_style           = true',
    '  max_retries                 = 1',
  ];
  const text = [
    '# Written by checks/terraform planOffline in a temporary copy; never part of the working tree.',
    ...(hasBackend ? ['terraform {', '  backend "local" {}', '}', ''] : []),
    'provider "aws" {',
    ...settings,
    '}',
    '',
  ].join('\n');
  writeFileSync(join(dir, hasProvider ? 'offline_plan_override.tf' : 'offline_plan_provider.tf'), text);
}

/**
 * No credentials, profiles or instance metadata of the caller's machine reach the provider, and every AWS service
 * it calls is `endpoint` (AWS_ENDPOINT_URL), so no call can leave the machine; `serviceEndpoints` names another
 * loopback server for a service, by the SDKs' service identifier (`{ 'Secrets Manager': url }` sets
 * AWS_ENDPOINT_URL_SECRETS_MANAGER). Terraform hands this environment to the providers it starts; a provider started
 * for commands to attach to must be started with it.
 */
export function offlineAwsEnvironment(
  env: NodeJS.ProcessEnv,
  scratch: string,
  endpoint: string,
  serviceEndpoints: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const child: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('AWS_')) child[name] = value;
  }
  child.AWS_CONFIG_FILE = join(scratch, 'no-aws-config');
  child.AWS_SHARED_CREDENTIALS_FILE = join(scratch, 'no-aws-credentials');
  child.AWS_EC2_METADATA_DISABLED = 'true';
  child.AWS_ENDPOINT_URL = endpoint;
  for (const [service, url] of Object.entries(serviceEndpoints)) {
    child[
      `AWS_ENDPOINT_URL_${service
        .trim()
        .toUpperCase()
        .replace(/[\s-]+/g, '_')}`
    ] = url;
  }
  child.NO_PROXY = ['127.0.0.1', 'localhost', env.NO_PROXY].filter(Boolean).join(',');
  child.no_proxy = child.NO_PROXY;
  return child;
}
