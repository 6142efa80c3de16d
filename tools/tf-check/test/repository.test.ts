import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTerraform, CONTRACT_OUTPUTS, loadTree } from '../check.ts';
import { formatFinding } from '../findings.ts';
import { parseHcl, type HclBody } from '../hcl.ts';

/** `npm run tf:check` as part of `npm test`: the real terraform/ tree must pass every rule. */
const repository = join(import.meta.dirname, '..', '..', '..');
const terraformDir = join(repository, 'terraform');

function tfvars(environment: string): HclBody {
  const parsed = parseHcl(readFileSync(join(terraformDir, 'environments', `${environment}.tfvars`), 'utf8'));
  if (!parsed.ok) throw new Error(`${environment}.tfvars does not parse`);
  return parsed.body;
}

describe('the terraform/ tree', () => {
  it('passes every tf-check rule', () => {
    const findings = checkTerraform({ terraformDir }).map(formatFinding);
    expect(findings).toEqual([]);
  });

  it('declares every contracted output in both root configurations', () => {
    const tree = loadTree(terraformDir, repository, []);
    for (const [rootName, outputs] of Object.entries(CONTRACT_OUTPUTS)) {
      const root = tree.roots.find((config) => config.displayDir === join('terraform', rootName));
      expect(root, rootName).toBeDefined();
      expect(outputs.filter((output) => !root?.outputs.has(output))).toEqual([]);
    }
  });

  const services = ['api-gateway', 'product-service', 'inventory-service'];
  const fargateMemory: Record<number, number[]> = {
    256: [512, 1024, 2048],
    512: [1024, 2048, 3072, 4096],
    1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  };

  for (const environment of ['dev', 'staging', 'prod']) {
    it(`${environment}.tfvars sets the values the render action and workflows read`, () => {
      const values = tfvars(environment);
      expect(values.project).toBe('berth');
      expect(values.environment).toBe(environment);
      expect(values.aws_region).toBe('us-east-1');
      expect(typeof values.log_retention_days).toBe('number');
      expect(typeof values.enable_nat_gateway).toBe('boolean');
      for (const map of [
        'service_cpu',
        'service_memory',
        'service_desired_count',
        'service_min_count',
        'service_max_count',
      ]) {
        expect(Object.keys(values[map] as HclBody).sort(), `${environment} ${map}`).toEqual([...services].sort());
      }
      const cpu = values.service_cpu as Record<string, number>;
      const memory = values.service_memory as Record<string, number>;
      const min = values.service_min_count as Record<string, number>;
      const max = values.service_max_count as Record<string, number>;
      for (const service of services) {
        expect(fargateMemory[cpu[service] ?? 0], `${environment} ${service} cpu`).toContain(memory[service]);
        expect(max[service], `${environment} ${service} max >= min`).toBeGreaterThanOrEqual(min[service] ?? Infinity);
      }
    });
  }

  it('gives each environment its own state key in the shared bucket', () => {
    const keys = ['dev', 'staging', 'prod', 'storage'].map((name) => {
      const parsed = parseHcl(readFileSync(join(terraformDir, 'environments', `${name}.backend.hcl`), 'utf8'));
      return parsed.ok ? parsed.body.key : undefined;
    });
    expect(new Set(keys).size).toBe(4);
    expect(keys).toContain('platform/prod/terraform.tfstate');
  });
});
