import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTerraformTree, offlineAwsEnvironment, withoutChecksums, writeProviderOverride } from '../offline-copy.ts';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'berth-offline-plan-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('offlineAwsEnvironment', () => {
  it("sends every service to the loopback server and drops the caller's AWS settings, endpoints included", () => {
    const env = offlineAwsEnvironment(
      {
        PATH: '/usr/bin',
        AWS_PROFILE: 'prod-admin',
        AWS_ACCESS_KEY_ID: 'AKIAREALKEY',
        AWS_ENDPOINT_URL_S3: 'https://s3.example.com',
        NO_PROXY: 'internal.example.com',
      },
      scratch,
      'http://127.0.0.1:4566',
      { 'Secrets Manager': 'http://127.0.0.1:4577' },
    );
    expect(env.AWS_ENDPOINT_URL).toBe('http://127.0.0.1:4566');
    expect(env.AWS_ENDPOINT_URL_SECRETS_MANAGER).toBe('http://127.0.0.1:4577');
    expect(
      Object.keys(env)
        .filter((name) => name.startsWith('AWS_'))
        .sort(),
    ).toEqual([
      'AWS_CONFIG_FILE',
      'AWS_EC2_METADATA_DISABLED',
      'AWS_ENDPOINT_URL',
      'AWS_ENDPOINT_URL_SECRETS_MANAGER',
      'AWS_SHARED_CREDENTIALS_FILE',
    ]);
    expect(env.AWS_CONFIG_FILE?.startsWith(scratch)).toBe(true);
    expect(env.PATH).toBe('/usr/bin');
    expect(env.NO_PROXY).toBe('127.0.0.1,localhost,internal.example.com');
  });
});

describe('writeProviderOverride', () => {
  it('gives the provider dummy keys and no endpoints block, and a root with a backend a local one', () => {
    const root = join(scratch, 'root');
    mkdirSync(root);
    writeFileSync(
      join(root, 'main.tf'),
      'terraform {\n  backend "s3" {}\n}\n\nprovider "aws" {\n  region = "eu-west-1"\n}\n',
    );
    writeProviderOverride(root, 'us-east-1');
    const override = readFileSync(join(root, 'offline_plan_override.tf'), 'utf8');
    expect(override).toContain('backend "local" {}');
    expect(override).toContain('access_key                  = "offline-plan"');
    expect(override).toContain('skip_credentials_validation = true');
    expect(override).not.toMatch(/endpoints|^\s*region\s*=/m);
  });
});

describe('copyTerraformTree', () => {
  const committed = readFileSync(join(repoRoot, 'terraform', 'platform', '.terraform.lock.hcl'), 'utf8');

  it('keeps each lock file version and constraints and takes the checksums out', () => {
    expect(committed).toMatch(/hashes = \[/);
    const stripped = withoutChecksums(committed);
    expect(stripped).not.toMatch(/hashes|h1:|zh:/);
    expect(stripped).toMatch(/^ {2}version {5}= "\d+\.\d+\.\d+"$/m);
    expect(stripped).toMatch(/^ {2}constraints = ".+"$/m);
  });

  it('copies without .terraform and state, stripping the lock files of every root in the tree', () => {
    const tree = join(scratch, 'tree');
    mkdirSync(join(tree, 'platform', '.terraform'), { recursive: true });
    writeFileSync(join(tree, 'platform', 'main.tf'), 'terraform {}\n');
    writeFileSync(join(tree, 'platform', '.terraform.lock.hcl'), committed);
    writeFileSync(join(tree, 'platform', 'terraform.tfstate'), '{}');
    const copy = join(scratch, 'copy');
    copyTerraformTree(tree, copy);
    expect(readFileSync(join(copy, 'platform', 'main.tf'), 'utf8')).toBe('terraform {}\n');
    expect(readFileSync(join(copy, 'platform', '.terraform.lock.hcl'), 'utf8')).toBe(withoutChecksums(committed));
    expect(() => readFileSync(join(copy, 'platform', 'terraform.tfstate'))).toThrow();
    expect(readFileSync(join(tree, 'platform', '.terraform.lock.hcl'), 'utf8')).toBe(committed);
  });
});
