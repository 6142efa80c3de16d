import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTerraform, CONTRACT_OUTPUTS, loadTree } from '../check.ts';
import { formatFinding } from '../findings.ts';
import { parseHcl } from '../hcl.ts';

/** `npm run tf:check` as part of `npm test`: the real terraform/ tree must pass every rule. */
const repository = join(import.meta.dirname, '..', '..', '..');
const terraformDir = join(repository, 'terraform');

describe('the terraform/ tree', () => {
  it('passes every tf-check rule', () => {
    const findings = checkTerraform({ terraformDir }).map(formatFinding);
    expect(findings).toEqual([]);
  });

  // After the check above, so the parse cache is warm for the CLI's own process.
  it('makes npm run tf:check exit 0', () => {
    const cli = join(import.meta.dirname, '..', 'cli.ts');
    const result = spawnSync(process.execPath, ['--import', 'tsx', cli, terraformDir], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/passes every rule/);
  });

  it('declares every contracted output in both root configurations', () => {
    const tree = loadTree(terraformDir, repository, []);
    for (const [rootName, outputs] of Object.entries(CONTRACT_OUTPUTS)) {
      const root = tree.roots.find((config) => config.displayDir === join('terraform', rootName));
      expect(root, rootName).toBeDefined();
      expect(outputs.filter((output) => !root?.outputs.has(output))).toEqual([]);
    }
  });

  it('gives each environment its own state key in the shared bucket', () => {
    const keys = ['dev', 'staging', 'prod', 'storage'].map((name) => {
      const parsed = parseHcl(readFileSync(join(terraformDir, 'environments', `${name}.backend.hcl`), 'utf8'));
      return parsed.ok ? parsed.body.key : undefined;
    });
    expect(new Set(keys).size).toBe(4);
    expect(keys).toContain('platform/prod/terraform.tfstate');
  });
});
