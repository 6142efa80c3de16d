import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTerraformOutputs } from '@berth/kit';
import { renderTaskDefinition } from '../src/render';
import { readTfvars } from '../src/tfvars';

// Every service's template rendered for every environment from the repository's own tfvars, compared with
// reviewed golden files. After an intended change: UPDATE_GOLDEN=1 npx vitest run actions/render-task-definition
const repo = join(import.meta.dirname, '..', '..', '..');
const goldenDir = join(import.meta.dirname, 'golden');
const services = ['api-gateway', 'product-service', 'inventory-service'];
const environments = ['dev', 'staging', 'prod'];

const tfvarsByEnvironment = new Map(
  await Promise.all(
    environments.map(async (environment) => {
      const path = join('terraform', 'environments', `${environment}.tfvars`);
      return [environment, { path, values: await readTfvars(join(repo, path)) }] as const;
    }),
  ),
);

describe.each(environments)('%s', (environment) => {
  const { path: tfvarsPath, values: tfvars } = tfvarsByEnvironment.get(environment)!;
  const outputs = readTerraformOutputs(
    join(repo, `actions/render-task-definition/examples/terraform-outputs.${environment}.json`),
  );

  it.each(services)('%s matches its golden file', (service) => {
    const templatePath = `services/${service}/task-definition.json`;
    const result = renderTaskDefinition({
      templateText: readFileSync(join(repo, templatePath), 'utf8'),
      templatePath,
      environment,
      tfvars,
      tfvarsPath,
      terraformOutputs: outputs,
      images: new Map([[service, `123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/${service}:golden`]]),
      environmentVariables: [],
      secrets: [],
    });
    expect(result.problems).toEqual([]);
    const rendered = `${JSON.stringify(result.taskDefinition, null, 2)}\n`;
    const golden = join(goldenDir, environment, `${service}.json`);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(join(goldenDir, environment), { recursive: true });
      writeFileSync(golden, rendered);
    }
    expect(existsSync(golden), `${golden} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
    expect(rendered).toBe(readFileSync(golden, 'utf8'));
    expect(result.taskDefinition!.family).toBe(`berth-${environment}-${service}`);
  });
});
