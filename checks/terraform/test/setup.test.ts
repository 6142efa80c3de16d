import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipWithoutTerraform } from '../require-terraform.ts';
import { removeChecksums } from '../offline-copy.ts';
import { runTerraform } from '../run.ts';
import {
  cliConfigText,
  findProviderMirror,
  findTerraform,
  linkMirrorIntoCache,
  MIRROR_ENV,
  prepareTerraform,
} from '../setup.ts';

const scratch = mkdtempSync(join(tmpdir(), 'berth-tf-setup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function dir(...parts: string[]): string {
  const path = join(scratch, ...parts);
  mkdirSync(path, { recursive: true });
  return path;
}

/** An environment that finds nothing on this machine: empty PATH and HOME. */
function bareEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: dir('empty-bin'), HOME: dir('empty-home'), XDG_DATA_HOME: dir('empty-data'), ...extra };
}

describe('findProviderMirror', () => {
  it('recognises an unpacked mirror (version/os_arch directories) named by the override', () => {
    const mirror = dir('unpacked');
    dir('unpacked', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
    expect(findProviderMirror(bareEnv({ [MIRROR_ENV]: mirror }))).toBe(mirror);
  });

  it('recognises a packed mirror (zip archives)', () => {
    const mirror = dir('packed');
    const provider = dir('packed', 'registry.terraform.io', 'hashicorp', 'aws');
    writeFileSync(join(provider, 'terraform-provider-aws_5.100.0_linux_amd64.zip'), '');
    expect(findProviderMirror(bareEnv({ [MIRROR_ENV]: mirror }))).toBe(mirror);
  });

  it('finds the mirror in ~/.terraform.d/plugins', () => {
    const home = dir('home');
    dir('home', '.terraform.d', 'plugins', 'registry.terraform.io', 'hashicorp', 'aws', '6.2.0', 'darwin_arm64');
    const env = { ...bareEnv(), HOME: home };
    // /opt/tf-plugins comes first when this machine has it; the home mirror is found otherwise.
    expect([join(home, '.terraform.d', 'plugins'), '/opt/tf-plugins']).toContain(findProviderMirror(env));
  });

  it('rejects a directory without the aws provider, and an override that points at one', () => {
    const empty = dir('no-aws');
    dir('no-aws', 'registry.terraform.io', 'hashicorp', 'random', '3.6.0', 'linux_amd64');
    expect(findProviderMirror(bareEnv({ [MIRROR_ENV]: empty }))).toBeUndefined();
  });
});

describe('prepareTerraform', () => {
  it('says how to get terraform when it is not on PATH', () => {
    const result = prepareTerraform({ env: bareEnv() });
    expect(result).toEqual({
      missing: 'terraform is not on PATH: install Terraform 1.11 or newer (or set BERTH_TERRAFORM to its path)',
    });
  });

  it('says where it looked for a mirror and how to make one', () => {
    const bin = dir('bin');
    writeFileSync(join(bin, 'terraform'), '#!/bin/sh\n');
    chmodSync(join(bin, 'terraform'), 0o755);
    const empty = dir('still-no-aws');
    const result = prepareTerraform({ env: bareEnv({ PATH: bin, [MIRROR_ENV]: empty }) });
    expect(result).toEqual({
      missing:
        `no filesystem mirror of hashicorp/aws found (searched ${empty}): put one in place with ` +
        '`terraform providers mirror <dir>` on a connected machine and set BERTH_TF_PROVIDER_MIRROR=<dir>',
    });
    expect(findTerraform(bareEnv({ PATH: bin }))).toBe(join(bin, 'terraform'));
  });

  /** prepareTerraform on a machine holding a stub terraform and an empty mirror, with the caller's `extra` settings. */
  function prepareStubbed(name: string, extra: NodeJS.ProcessEnv) {
    const bin = dir(`bin-${name}`);
    writeFileSync(join(bin, 'terraform'), '#!/bin/sh\n');
    chmodSync(join(bin, 'terraform'), 0o755);
    const mirror = dir(`mirror-${name}`);
    dir(`mirror-${name}`, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
    const result = prepareTerraform({
      env: bareEnv({ PATH: bin, [MIRROR_ENV]: mirror, ...extra }),
      workDir: dir(`work-${name}`),
      pluginCacheDir: dir(`cache-${name}`),
    });
    if ('missing' in result) throw new Error(result.missing);
    return { result, mirror };
  }

  it('writes a CLI config for the mirror and points every child at it, dropping the caller TF_ settings', () => {
    const { result, mirror } = prepareStubbed('config', { TF_VAR_environment: 'prod', TF_CLI_CONFIG_FILE: '/nope' });
    expect(result.env.TF_CLI_CONFIG_FILE).toBe(join(scratch, 'work-config', 'terraform.rc'));
    expect(result.env.TF_VAR_environment).toBeUndefined();
    expect(readFileSync(result.cliConfigFile, 'utf8')).toBe(cliConfigText(mirror, join(scratch, 'cache-config')));
    expect(result.env.GOGC).toBe('800');
  });

  it('gives copies without lock checksums the same settings with a CLI config that has no plugin cache', () => {
    const { result, mirror } = prepareStubbed('copies', { TF_VAR_environment: 'prod' });
    const copiesConfig = result.copyEnv.TF_CLI_CONFIG_FILE!;
    expect(copiesConfig).not.toBe(result.cliConfigFile);
    expect(readFileSync(copiesConfig, 'utf8')).toBe(cliConfigText(mirror));
    expect({ ...result.copyEnv, TF_CLI_CONFIG_FILE: undefined }).toEqual({
      ...result.env,
      TF_CLI_CONFIG_FILE: undefined,
    });
  });

  it("keeps the caller's GOGC for terraform and the provider", () => {
    expect(prepareStubbed('gogc', { GOGC: 'off' }).result.env.GOGC).toBe('off');
  });
});

describe('cliConfigText', () => {
  it('installs from the mirror only: a filesystem_mirror and no direct or network_mirror block', () => {
    const text = cliConfigText('/srv/mirror', '/srv/cache');
    expect(text).toContain('filesystem_mirror {\n    path    = "/srv/mirror"');
    expect(text).toContain('plugin_cache_dir   = "/srv/cache"');
    expect(text).toContain('disable_checkpoint = true');
    expect(text).not.toMatch(/direct|network_mirror/);
    expect(cliConfigText('/srv/mirror')).not.toContain('plugin_cache_dir');
  });
});

describe('linkMirrorIntoCache', () => {
  it('links each unpacked provider platform into the cache, and leaves an entry already there alone', () => {
    const mirror = dir('link-mirror');
    const platform = dir('link-mirror', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
    const cache = dir('link-cache');
    linkMirrorIntoCache(mirror, cache);
    const entry = join(cache, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
    expect(realpathSync(entry)).toBe(realpathSync(platform));
    linkMirrorIntoCache(mirror, cache);
    expect(readdirSync(join(cache, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0'))).toEqual(['linux_amd64']);
  });
});

// The race this guards against: the copies that plans and workspaces init have lock files without checksums, and
// Terraform trusts a plugin-cache entry only through a checksum, so each such init reinstalls the shared entry and
// concurrent ones fail over it ("failed to create directory", "still not detected"). With the cache, these eight inits
// failed in each of three runs here; copies therefore install from the mirror without it (TerraformSetup.copyEnv).
const lockFile = join(import.meta.dirname, '..', '..', '..', 'terraform', 'modules', '.terraform.lock.hcl');
const realSetup = prepareTerraform({ pluginCacheDir: join(scratch, 'cold-cache'), workDir: dir('real-work') });
describe('parallel inits of copies whose lock files have no checksums', () => {
  if ('missing' in realSetup) {
    it('needs Terraform and the provider mirror', (context) =>
      skipWithoutTerraform(context, realSetup, 'the plugin cache test'));
    return;
  }
  it('all succeed, each installing exactly the locked provider', async () => {
    const roots = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => {
      const root = dir('parallel', `root-${n}`);
      writeFileSync(
        join(root, 'main.tf'),
        'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n',
      );
      copyFileSync(lockFile, join(root, '.terraform.lock.hcl'));
      removeChecksums(join(root, '.terraform.lock.hcl'));
      return root;
    });
    const results = await Promise.all(
      roots.map((root) =>
        runTerraform(realSetup, ['init', '-backend=false', '-input=false', '-no-color'], {
          cwd: root,
          dataDir: join(root, '.terraform'),
          baseEnv: realSetup.copyEnv,
        }),
      ),
    );
    for (const result of results) expect(result.exitCode, result.stderr).toBe(0);
    const locked = /version\s*=\s*"([^"]+)"/.exec(readFileSync(lockFile, 'utf8'))?.[1];
    for (const root of roots) {
      expect(readdirSync(join(root, '.terraform', 'providers', 'registry.terraform.io', 'hashicorp', 'aws'))).toEqual([
        locked,
      ]);
    }
  });
});
