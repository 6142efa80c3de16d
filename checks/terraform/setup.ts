import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath, missingExecutable } from '@berth/kit/testing/required-tool';

/** Everything a child `terraform` process needs to install providers from the local mirror and nothing else. */
export interface TerraformSetup {
  /** Absolute path of the terraform binary. */
  binary: string;
  /** Filesystem mirror holding `registry.terraform.io/hashicorp/aws`. */
  mirror: string;
  /** CLI configuration written for this setup (TF_CLI_CONFIG_FILE of every child). */
  cliConfigFile: string;
  /** Shared provider cache, so repeated inits of fresh data directories link instead of unpacking. */
  pluginCacheDir: string;
  /** Scratch directory owned by this setup (data directories, plan copies). */
  workDir: string;
  /** Environment of every child process. */
  env: NodeJS.ProcessEnv;
  /**
   * Environment for copies whose lock files carry no checksums (copyTerraformTree, isolated checks): providers
   * straight from the mirror, without the plugin cache. Terraform trusts a cache entry only through a checksum, so
   * without one each init reinstalls the shared entry, and concurrent inits fail over it ("failed to create
   * directory", "still not detected"). From an unpacked mirror an init links the provider into its data directory.
   */
  copyEnv: NodeJS.ProcessEnv;
}

/** Why Terraform cannot run here, phrased as what to do about it. */
export interface TerraformUnavailable {
  missing: string;
}

export const MIRROR_ENV = 'BERTH_TF_PROVIDER_MIRROR';
export const TERRAFORM_ENV = 'BERTH_TERRAFORM';
const AWS_PROVIDER = join('registry.terraform.io', 'hashicorp', 'aws');

/** Finds `terraform` on PATH (or the file named by BERTH_TERRAFORM). */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env[TERRAFORM_ENV];
  if (explicit) return missingExecutable(explicit, '') === undefined ? explicit : undefined;
  return findOnPath('terraform', env);
}

/** Places a provider mirror is commonly kept, in the order they are searched. */
export function mirrorCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? homedir();
  const dataHome = env.XDG_DATA_HOME ?? join(home, '.local', 'share');
  return [
    '/opt/tf-plugins',
    join(home, '.terraform.d', 'plugins'),
    join(dataHome, 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ];
}

/**
 * The first directory holding hashicorp/aws in either mirror layout: unpacked
 * (`registry.terraform.io/hashicorp/aws/<version>/<os_arch>/`) or packed (`.../aws/terraform-provider-aws_*.zip`).
 * BERTH_TF_PROVIDER_MIRROR names the mirror explicitly and is then the only place looked at.
 */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env[MIRROR_ENV];
  const candidates = explicit ? [explicit] : mirrorCandidates(env);
  return candidates.find((dir) => holdsAwsProvider(dir));
}

function holdsAwsProvider(dir: string): boolean {
  const provider = join(dir, AWS_PROVIDER);
  if (!isDirectory(provider)) return false;
  return readdirSync(provider).some((entry) => {
    if (/^terraform-provider-aws_.+\.zip$/.test(entry)) return true;
    const version = join(provider, entry);
    return isDirectory(version) && readdirSync(version).some((platform) => isDirectory(join(version, platform)));
  });
}

/** The CLI configuration: providers from the mirror only, no registry, no version checks; a plugin cache if given. */
export function cliConfigText(mirror: string, pluginCacheDir?: string): string {
  return [
    '# Written by checks/terraform: install providers from the local mirror only, never from a registry.',
    'disable_checkpoint = true',
    ...(pluginCacheDir === undefined ? [] : [`plugin_cache_dir   = ${JSON.stringify(pluginCacheDir)}`]),
    '',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirror)}`,
    '    include = ["registry.terraform.io/*/*"]',
    '  }',
    '}',
    '',
  ].join('\n');
}

export interface PrepareOptions {
  env?: NodeJS.ProcessEnv;
  /** Scratch directory; default a new directory under the OS temp dir. */
  workDir?: string;
  /** Provider cache shared between runs; default TF_PLUGIN_CACHE_DIR or `<tmp>/berth-terraform-plugin-cache`. */
  pluginCacheDir?: string;
}

/**
 * Finds terraform and the provider mirror and writes a CLI configuration for them. Returns what is missing
 * instead when either cannot be found, so callers decide whether that is a skip or a failure.
 */
export function prepareTerraform(options: PrepareOptions = {}): TerraformSetup | TerraformUnavailable {
  const env = options.env ?? process.env;
  const binary = findTerraform(env);
  if (!binary) {
    return {
      missing: env[TERRAFORM_ENV]
        ? `${TERRAFORM_ENV}=${env[TERRAFORM_ENV]} is not an executable file`
        : 'terraform is not on PATH: install Terraform 1.11 or newer (or set BERTH_TERRAFORM to its path)',
    };
  }
  const mirror = findProviderMirror(env);
  if (!mirror) {
    const searched = env[MIRROR_ENV] ? [env[MIRROR_ENV]] : mirrorCandidates(env);
    return {
      missing:
        `no filesystem mirror of hashicorp/aws found (searched ${searched.join(', ')}): ` +
        `put one in place with \`terraform providers mirror <dir>\` on a connected machine and set ${MIRROR_ENV}=<dir>`,
    };
  }
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'berth-terraform-'));
  mkdirSync(workDir, { recursive: true });
  const pluginCacheDir =
    options.pluginCacheDir ?? env.TF_PLUGIN_CACHE_DIR ?? join(tmpdir(), 'berth-terraform-plugin-cache');
  mkdirSync(pluginCacheDir, { recursive: true });
  linkMirrorIntoCache(mirror, pluginCacheDir);
  const cliConfigFile = join(workDir, 'terraform.rc');
  writeFileSync(cliConfigFile, cliConfigText(mirror, pluginCacheDir));
  const copiesCliConfigFile = join(workDir, 'terraform-copies.rc');
  writeFileSync(copiesCliConfigFile, cliConfigText(mirror));
  return {
    binary,
    mirror,
    cliConfigFile,
    pluginCacheDir,
    workDir,
    env: childEnvironment(env, cliConfigFile),
    copyEnv: childEnvironment(env, copiesCliConfigFile),
  };
}

/**
 * Puts each unpacked provider of the mirror into the plugin cache as Terraform itself would (a link to the mirror's
 * platform directory), before any init runs. Parallel inits on a cold cache otherwise race to create that link, and
 * the loser fails with "failed to create directory ... file exists". The link is made under a temporary name and
 * renamed into place, so concurrent setups (the test workers) never see a half-made entry.
 */
export function linkMirrorIntoCache(mirror: string, pluginCacheDir: string): void {
  const provider = join(mirror, AWS_PROVIDER);
  if (!isDirectory(provider)) return;
  for (const version of readdirSync(provider)) {
    const versionDir = join(provider, version);
    if (!isDirectory(versionDir)) continue; // a packed mirror's zip: Terraform unpacks it into the cache itself
    for (const platform of readdirSync(versionDir)) {
      const source = join(versionDir, platform);
      const target = join(pluginCacheDir, AWS_PROVIDER, version, platform);
      if (!isDirectory(source) || existsSync(target)) continue;
      mkdirSync(join(pluginCacheDir, AWS_PROVIDER, version), { recursive: true });
      const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
      symlinkSync(source, temporary, 'dir');
      try {
        renameSync(temporary, target);
      } catch {
        // Another setup put its entry there first: that one serves.
        rmSync(temporary, { force: true });
      }
    }
  }
}

/** The caller's environment with Terraform pointed at our CLI config and away from anything interactive. */
function childEnvironment(env: NodeJS.ProcessEnv, cliConfigFile: string): NodeJS.ProcessEnv {
  const child: NodeJS.ProcessEnv = { ...env };
  // Settings of the caller's shell must not change what the checks see.
  for (const name of Object.keys(child)) {
    if (name.startsWith('TF_VAR_') || ['TF_DATA_DIR', 'TF_WORKSPACE', 'TF_REATTACH_PROVIDERS'].includes(name)) {
      delete child[name];
    }
  }
  delete child.TF_PLUGIN_CACHE_DIR;
  child.TF_CLI_CONFIG_FILE = cliConfigFile;
  child.TF_IN_AUTOMATION = 'true';
  child.TF_INPUT = '0';
  child.CHECKPOINT_DISABLE = '1';
  // Terraform and the 675 MB provider (which inherits it) allocate heavily while planning; collecting at 9 times the
  // live heap instead of Go's default of twice saves about a seventh of their CPU for about 1 GB per process at the
  // most. Higher settings cost more in page faults than they save in collections (checks/terraform/README.md).
  child.GOGC ??= '800';
  return child;
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
