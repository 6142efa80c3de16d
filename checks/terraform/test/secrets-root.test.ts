import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHcl } from '../../tf-check/hcl.ts';
import { openOfflineWorkspace } from '../offline-workspace.ts';
import { skipWithoutTerraform } from '../require-terraform.ts';
import { startSecretsManagerServer } from '../secrets-manager-server.ts';
import { prepareTerraform } from '../setup.ts';

/**
 * terraform/secrets beside terraform/platform: the same names from the same environment settings, a state key next to
 * the platform's, and the migration of an environment whose secrets the platform root created (imported with their
 * values, never written again), with the real provider against a Secrets Manager stand-in.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const environments = join(repoRoot, 'terraform', 'environments');
const ENVIRONMENTS = ['dev', 'staging', 'prod'];
const TIMEOUT = 600_000;

/** The top-level string and boolean settings of an HCL variables or backend file, read by tf-check's parser. */
function settingsOf(file: string): Record<string, string> {
  const parsed = parseHcl(readFileSync(join(environments, file), 'utf8'));
  if (!parsed.ok) throw new Error(`terraform/environments/${file} is not valid HCL`);
  return Object.fromEntries(
    Object.entries(parsed.body)
      .filter((entry): entry is [string, string | boolean] => ['string', 'boolean'].includes(typeof entry[1]))
      .map(([key, value]) => [key, String(value)]),
  );
}

describe('terraform/secrets settings', () => {
  it.each(ENVIRONMENTS)('%s: the secrets get the names the platform looks up', (environment) => {
    const platform = settingsOf(`${environment}.tfvars`);
    const secrets = settingsOf(`${environment}.secrets.tfvars`);
    for (const name of ['project', 'environment', 'aws_region', 'deletion_protection']) {
      expect(platform[name], `${environment}.tfvars sets ${name}`).toBeDefined();
      expect(secrets[name], `${environment}.secrets.tfvars ${name} must equal ${environment}.tfvars'`).toBe(
        platform[name],
      );
    }
  });

  it.each(ENVIRONMENTS)("%s: the state sits next to the platform's, in the same bucket", (environment) => {
    const platform = settingsOf(`${environment}.backend.hcl`);
    const secrets = settingsOf(`${environment}.secrets.backend.hcl`);
    // terraform/modules/environment-access grants the terraform and plan roles this key (secrets_state_object_arn).
    expect(secrets.key).toBe(`${dirname(platform.key ?? '')}/secrets.tfstate`);
    expect({ ...secrets, key: platform.key }).toEqual(platform);
  });
});

const setup = prepareTerraform();

describe('adopting secrets the platform root created', () => {
  if ('missing' in setup) {
    it('runs with Terraform', (context) => skipWithoutTerraform(context, setup, 'the secrets migration test'));
    return;
  }

  it(
    'imports each secret with its value and writes no new one',
    async () => {
      const secretsManager = await startSecretsManagerServer();
      const root = join(repoRoot, 'terraform', 'secrets');
      const workspace = await openOfflineWorkspace(setup, {
        treeRoot: join(repoRoot, 'terraform'),
        roots: [root],
        region: 'us-east-1',
        endpoints: { 'Secrets Manager': secretsManager.url },
      });
      const platformSecrets: Record<string, string> = {
        'berth-prod-api-tokens': 'Comma-separated bearer tokens api-gateway accepts for writes (API_TOKENS)',
        'berth-prod-inventory-service-database':
          'Database user of inventory-service ({"username", "password"}, DB_SECRET_ARN)',
        'berth-prod-product-service-database':
          'Database user of product-service ({"username", "password"}, DB_SECRET_ARN)',
      };
      const names = Object.keys(platformSecrets);
      const varArgs = [`-var-file=${join(environments, 'prod.secrets.tfvars')}`];
      try {
        // The secrets as the platform root left them: created by modules/generated-secret (the same description,
        // the platform's default tags) with their generated values, then forgotten by it (its `removed` blocks), so
        // they exist in AWS and in no state.
        const tags = [
          { Key: 'Project', Value: 'berth' },
          { Key: 'Environment', Value: 'prod' },
          { Key: 'ManagedBy', Value: 'terraform' },
        ];
        for (const [name, description] of Object.entries(platformSecrets)) {
          const created = await fetch(secretsManager.url, {
            method: 'POST',
            headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.CreateSecret' },
            body: JSON.stringify({
              Name: name,
              Description: description,
              Tags: tags,
              SecretString: `value the services use for ${name}`,
            }),
          });
          expect(created.status).toBe(200);
        }
        const valuesBefore = structuredClone(
          names.map((name) => [...(secretsManager.secrets.get(name)?.versions ?? [])]),
        );
        await workspace.run(root, ['init', '-input=false', '-no-color']);

        secretsManager.calls.length = 0;
        const adopted = `-var=adopted_secret_names=${JSON.stringify(names)}`;
        const apply = await workspace.run(root, [
          'apply',
          '-input=false',
          '-no-color',
          '-auto-approve',
          ...varArgs,
          adopted,
        ]);
        expect(valuesBefore.every((versions) => versions.length === 1)).toBe(true);
        // The 3 changes are state-only: recovery_window_in_days and force_overwrite_replica_secret are settings of
        // the provider that an import cannot read back; no write reaches Secrets Manager (below).
        expect(apply.stdout).toContain('Apply complete! Resources: 3 imported, 0 added, 3 changed, 0 destroyed.');
        // The import read them from the stand-in (AWS_ENDPOINT_URL_SECRETS_MANAGER), not from the read server.
        expect(secretsManager.calls.map((call) => call.operation)).toContain('DescribeSecret');
        const writes = secretsManager.calls.filter((call) => !/^(Describe|Get|List)/.test(call.operation));
        expect(writes, 'adopting wrote to Secrets Manager').toEqual([]);
        expect(names.map((name) => [...(secretsManager.secrets.get(name)?.versions ?? [])])).toEqual(valuesBefore);

        const state = await workspace.run(root, ['state', 'pull']);
        expect(state.stdout).not.toContain('aws_secretsmanager_secret_version');
        const again = await workspace.run(root, [
          'plan',
          '-detailed-exitcode',
          '-input=false',
          '-no-color',
          ...varArgs,
          adopted,
        ]);
        expect(again.stdout).toContain('No changes.');
      } finally {
        await workspace.close();
        await secretsManager.close();
      }
    },
    TIMEOUT,
  );
});
