import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

// How a Terraform tree is made ready to run offline: a copy of it, the provider overridden to need no account, and
// the environment that sends every AWS call to loopback. Shared by planOffline and openOfflineWorkspace.

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
  for (const lockFile of lockFilesUnder(copyRoot)) removeChecksums(lockFile);
}

/** Rewrites a copied dependency lock file without its checksums (see copyTerraformTree). */
export function removeChecksums(lockFile: string): void {
  writeFileSync(lockFile, withoutChecksums(readFileSync(lockFile, 'utf8')));
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
    const suffix = service
      .trim()
      .toUpperCase()
      .replace(/[\s-]+/g, '_');
    child[`AWS_ENDPOINT_URL_${suffix}`] = url;
  }
  child.NO_PROXY = ['127.0.0.1', 'localhost', env.NO_PROXY].filter(Boolean).join(',');
  child.no_proxy = child.NO_PROXY;
  return child;
}
