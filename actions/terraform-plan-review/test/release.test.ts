import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { GetAliasCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { findReleaseDrift } from '../src/drift';
import type { PlanJson } from '../src/plan-json';
import { KNOWN_AFTER_APPLY, plannedOutputs } from '../src/planned-outputs';
import { diffTaskDefinitions } from '../src/release-diff';
import { BUILT_ON_MERGE, repositoryOf, reviewRelease } from '../src/release';
import { readServiceTemplates } from '../src/report-files';
import type { RunningTaskDefinition } from '../src/running-services';
import { prodPlatformPlan, repoRoot, setup } from './real-plans';
import { join } from 'node:path';
import { skipWithoutTerraform } from '@berth/terraform-harness';

/** An ECS client that answers from a table of services and task definitions, recording each call. */
function fakeEcs(
  services: Record<string, { arn: string; desiredCount?: number }>,
  definitions: Record<string, RunningTaskDefinition & { taskDefinitionArn?: string }>,
) {
  const calls: string[] = [];
  return {
    calls,
    send: async (command: unknown) => {
      if (command instanceof DescribeServicesCommand) {
        calls.push(`DescribeServices ${command.input.cluster} ${command.input.services!.join(',')}`);
        return {
          services: command.input
            .services!.filter((name) => name in services)
            .map((name) => ({
              serviceName: name,
              status: 'ACTIVE',
              desiredCount: services[name]!.desiredCount ?? 2,
              runningCount: 2,
              deployments: [{ status: 'PRIMARY', taskDefinition: services[name]!.arn }],
            })),
        };
      }
      if (command instanceof DescribeTaskDefinitionCommand) {
        calls.push(`DescribeTaskDefinition ${command.input.taskDefinition}`);
        const found = definitions[command.input.taskDefinition!];
        if (!found) throw Object.assign(new Error('Unable to describe task definition.'), { name: 'ClientException' });
        return { taskDefinition: found };
      }
      throw new Error(`unexpected ${String(command)}`);
    },
  };
}

describe('release diff from the real prod plan', () => {
  const found = setup;
  if ('missing' in found) {
    it('needs terraform and a provider mirror', (context) => skipWithoutTerraform(context, found));
    return;
  }
  const ready = found;
  let plan: PlanJson;
  beforeAll(async () => {
    plan = await prodPlatformPlan(ready);
  }, 600_000);
  const templates = () => readServiceTemplates(join(repoRoot, 'services'));

  it('renders every service from the planned outputs and compares it with what runs', async () => {
    const outputs = plannedOutputs(plan);
    const cluster = outputs.cluster_name as string;
    const names = outputs.ecs_service_names as Record<string, string>;
    expect(cluster).not.toBe(KNOWN_AFTER_APPLY);
    // First render with nothing running, to learn what the release would register.
    const fresh = await reviewRelease({
      environment: 'prod',
      plan,
      templates: templates(),
      imageTag: '',
      ecs: fakeEcs({}, {}),
    });
    expect(fresh.map((release) => release.service)).toEqual(['api-gateway', 'inventory-service', 'product-service']);
    const gateway = fresh.find((release) => release.service === 'api-gateway')!;
    expect(gateway.runningTaskDefinition).toBeUndefined();
    expect(gateway.problems, gateway.problems.join('\n')).toEqual([]);
    // Role ARNs the plan creates are not known yet: shown as such, never as a failure to render.
    expect(gateway.changes).toContainEqual({ field: 'api-gateway env LOG_LEVEL', running: '—', rendered: 'info' });
    expect(gateway.changes).toContainEqual({ field: 'api-gateway image', running: '—', rendered: BUILT_ON_MERGE });

    const running: RunningTaskDefinition = {
      family: 'berth-prod-api-gateway',
      revision: 7,
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'api-gateway',
          image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth/api-gateway:1111111',
          environment: [
            { name: 'LOG_LEVEL', value: 'debug' },
            { name: 'OLD_FLAG', value: '1' },
          ],
          secrets: [{ name: 'LEGACY_TOKEN', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:legacy' }],
        },
      ],
    };
    const arn = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/berth-prod-api-gateway:7';
    const ecs = fakeEcs({ [names['api-gateway']!]: { arn } }, { [arn]: running });
    const releases = await reviewRelease({
      environment: 'prod',
      plan,
      templates: templates(),
      imageTag: '2222222',
      ecs,
    });
    expect(ecs.calls[0]).toBe(`DescribeServices ${cluster} ${Object.values(names).join(',')}`);
    const diff = releases.find((release) => release.service === 'api-gateway')!;
    expect(diff.runningTaskDefinition).toBe(arn);
    const byField = new Map(diff.changes.map((change) => [change.field, change]));
    expect(byField.get('api-gateway image')).toEqual({
      field: 'api-gateway image',
      running: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth/api-gateway:1111111',
      rendered: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth/api-gateway:2222222',
    });
    expect(byField.get('api-gateway env LOG_LEVEL')).toMatchObject({ running: 'debug', rendered: 'info' });
    expect(byField.get('api-gateway env OLD_FLAG')).toMatchObject({ running: '1', rendered: '—' });
    expect(byField.get('api-gateway secret API_TOKENS')).toMatchObject({ running: '—', rendered: 'added' });
    expect(byField.get('api-gateway secret LEGACY_TOKEN')).toMatchObject({ running: 'set', rendered: 'removed' });
    // A secret's source is never shown, only that it changed.
    expect(JSON.stringify(diff.changes)).not.toContain('secretsmanager');
    expect(ecs.calls.filter((call) => call.startsWith('DescribeTaskDefinition'))).toEqual([
      `DescribeTaskDefinition ${arn}`,
    ]);
  });

  it('drift: a service on another revision than the newest, a count outside autoscaling, a stuck notifier canary', async () => {
    const outputs = plannedOutputs(plan);
    const names = outputs.ecs_service_names as Record<string, string>;
    const families = outputs.task_definition_families as Record<string, string>;
    const services: Record<string, { arn: string; desiredCount?: number }> = {};
    const definitions: Record<string, RunningTaskDefinition & { taskDefinitionArn: string }> = {};
    for (const [service, name] of Object.entries(names)) {
      const arn = `arn:aws:ecs:eu-west-1:123456789012:task-definition/${families[service]}:5`;
      services[name] = { arn, desiredCount: 2 };
      definitions[arn] = { family: families[service]!, revision: 5, containerDefinitions: [], taskDefinitionArn: arn };
      definitions[families[service]!] = definitions[arn]!;
    }
    const gatewayNewest = `arn:aws:ecs:eu-west-1:123456789012:task-definition/${families['api-gateway']}:6`;
    definitions[families['api-gateway']!] = {
      ...definitions[gatewayNewest.replace(':6', ':5')]!,
      revision: 6,
      taskDefinitionArn: gatewayNewest,
    };
    services[names['product-service']!]!.desiredCount = 99;
    const notifier = outputs.notifier_deployment as Record<string, string>;
    const lambda = {
      send: async (command: unknown) => {
        if (command instanceof GetAliasCommand) {
          expect(command.input).toEqual({ FunctionName: notifier.function_name, Name: notifier.alias });
          return { FunctionVersion: '3', RoutingConfig: { AdditionalVersionWeights: { '4': 0.1 } } };
        }
        if (command instanceof ListVersionsByFunctionCommand) {
          return command.input.Marker
            ? { Versions: [{ Version: '4' }] }
            : { Versions: [{ Version: '$LATEST' }, { Version: '3' }], NextMarker: 'm' };
        }
        throw new Error('unexpected');
      },
    };
    const findings = await findReleaseDrift({ plan, ecs: fakeEcs(services, definitions), lambda });
    expect(findings.map((finding) => finding.subject).sort()).toEqual([
      `notifier alias ${notifier.alias}`,
      `notifier alias ${notifier.alias} routing`,
      'service api-gateway task definition',
      'service product-service desired count',
    ]);
    expect(findings.find((f) => f.subject === 'service api-gateway task definition')).toMatchObject({
      expected: `${families['api-gateway']}:6 (newest revision Berth registered)`,
      actual: `${families['api-gateway']}:5`,
    });
    expect(findings.find((f) => f.subject.endsWith('routing'))?.actual).toBe('10% on version 4');
  });
});

describe('diffTaskDefinitions', () => {
  it('finds task and container CPU/memory changes and added or removed containers', () => {
    const changes = diffTaskDefinitions(
      { family: 'f', cpu: '512', memory: '1024', containerDefinitions: [{ name: 'web', image: 'r:2', cpu: 256 }] },
      {
        family: 'f',
        revision: 1,
        cpu: '256',
        memory: '1024',
        containerDefinitions: [
          { name: 'web', image: 'r:2', cpu: 128 },
          { name: 'sidecar', image: 's:1' },
        ],
      },
    );
    expect(changes).toEqual([
      { field: 'cpu', running: '256', rendered: '512' },
      { field: 'web cpu', running: '128', rendered: '256' },
      { field: 'sidecar container', running: 'runs', rendered: 'removed' },
    ]);
  });

  it('takes the repository of an image without its tag or digest', () => {
    expect(repositoryOf('123.dkr.ecr.eu-west-1.amazonaws.com/a/b:tag')).toBe('123.dkr.ecr.eu-west-1.amazonaws.com/a/b');
    expect(repositoryOf('localhost:5000/a@sha256:abc')).toBe('localhost:5000/a');
    expect(repositoryOf('nginx')).toBe('nginx');
  });
});
