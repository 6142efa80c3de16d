import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTerraformOutputs } from '@berth/kit';
import { renderTaskDefinition, type TaskDefinition } from '../actions/render-task-definition/src/render';
import { readTfvars } from '../actions/render-task-definition/src/tfvars';

// The internal services' task definitions as the deploy renders them: the database owner (the RDS-managed master
// secret) reaches only the task's migrate container, injected by ECS with the execution role; the application
// container holds its own user's secret alone and starts after the migrate container has succeeded.

const repo = join(import.meta.dirname, '..');
const INTERNAL_SERVICES = ['product-service', 'inventory-service'] as const;
const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

type Container = TaskDefinition['containerDefinitions'][number] & {
  environment?: { name: string; value: string }[];
  secrets?: { name: string; valueFrom: string }[];
  dependsOn?: { containerName: string; condition: string }[];
  command?: string[];
  essential?: boolean;
};

async function rendered(service: string, environment: string) {
  const outputsPath = join(repo, `actions/render-task-definition/examples/terraform-outputs.${environment}.json`);
  const outputs = readTerraformOutputs(outputsPath);
  const templatePath = `services/${service}/task-definition.json`;
  const image = `123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/${service}:${'a'.repeat(40)}`;
  const result = renderTaskDefinition({
    templateText: readFileSync(join(repo, templatePath), 'utf8'),
    templatePath,
    environment,
    tfvars: await readTfvars(join(repo, 'terraform', 'environments', `${environment}.tfvars`)),
    terraformOutputs: outputs,
    // The deploy names the service's container only; the migrate container follows its image.
    images: new Map([[service, image]]),
    environmentVariables: [],
    secrets: [],
  });
  expect(result.problems).toEqual([]);
  const containers = (result.taskDefinition?.containerDefinitions ?? []) as Container[];
  const byName = (name: string): Container => {
    const container = containers.find((candidate) => candidate.name === name);
    if (container === undefined) throw new Error(`${templatePath} has no container "${name}"`);
    return container;
  };
  return { containers, byName, image, masterSecret: String(outputs.database_secret_arn) };
}

/** Every name and value a container's process receives, to search for the owner in any form. */
function everythingGiven(container: Container): string[] {
  return [
    ...(container.environment ?? []).flatMap((entry) => [entry.name, entry.value]),
    ...(container.secrets ?? []).flatMap((entry) => [entry.name, entry.valueFrom]),
  ];
}

describe.each(ENVIRONMENTS)('%s', (environment) => {
  describe.each(INTERNAL_SERVICES)('%s', (service) => {
    it("the app container's environment and secrets hold no owner credential", async () => {
      const { byName, masterSecret } = await rendered(service, environment);
      const given = everythingGiven(byName(service));
      expect(given.filter((text) => text.startsWith('DB_OWNER'))).toEqual([]);
      expect(given.filter((text) => text.includes(masterSecret) || text.includes('rds!'))).toEqual([]);
      // Its own user, read with the task role when it connects.
      expect(byName(service).environment).toContainEqual({
        name: 'DB_SECRET_ARN',
        value: expect.stringContaining(`${service}-database`),
      });
    });

    it('starts the app container only after the migrate container exited 0', async () => {
      const { byName } = await rendered(service, environment);
      expect(byName(service).dependsOn).toEqual([{ containerName: `${service}-migrate`, condition: 'SUCCESS' }]);
      expect(byName(service).essential).toBe(true);
      // SUCCESS may only name a container that is not essential: it exits when it is done.
      expect(byName(`${service}-migrate`).essential).toBe(false);
    });

    it("the migrate container runs the service's own image, its migrate command, with the owner injected by ECS", async () => {
      const { containers, byName, image, masterSecret } = await rendered(service, environment);
      const migrate = byName(`${service}-migrate`);
      expect(containers.map((container) => container.name).sort()).toEqual([service, `${service}-migrate`].sort());
      expect(migrate.image).toBe(image);
      expect(migrate.command).toEqual(['node', 'service/dist/migrate.js']);
      expect(migrate.portMappings ?? []).toEqual([]);
      // The JSON keys of the RDS-managed secret, fetched with the execution role at task start.
      expect(migrate.secrets).toEqual([
        { name: 'DB_OWNER_USER', valueFrom: `${masterSecret}:username::` },
        { name: 'DB_OWNER_PASSWORD', valueFrom: `${masterSecret}:password::` },
      ]);
      const environmentOf = (container: Container) =>
        Object.fromEntries((container.environment ?? []).map((entry) => [entry.name, entry.value]));
      const app = environmentOf(byName(service));
      // The same database and user as the service it prepares.
      for (const name of ['PGHOST', 'PGPORT', 'PGDATABASE', 'PGSSLMODE', 'DB_SECRET_ARN', 'AWS_REGION'])
        expect(environmentOf(migrate)[name], name).toBe(app[name]);
    });
  });
});
