import { describe, expect, it } from 'vitest';
import { normaliseTaskDefinition, sameTaskDefinition } from '../src/normalise-task-definition';
import { diffTaskDefinitions } from '../src/task-definition-diff';
import { describeStoppedTask } from '../src/stopped-task';
import { webDefinition } from './harness';

/** What DescribeTaskDefinition returns for webDefinition(): defaults and read-only fields filled in. */
function asRegistered(definition: Record<string, unknown>): Record<string, unknown> {
  const containers = (definition.containerDefinitions as Record<string, unknown>[]).map((c) => ({
    cpu: 0,
    essential: true,
    mountPoints: [],
    volumesFrom: [],
    ...c,
    environment: [...((c.environment as { name: string }[]) ?? [])].reverse(),
    portMappings: (c.portMappings as { containerPort: number }[]).map((m) => ({
      ...m,
      hostPort: m.containerPort,
      protocol: 'tcp',
    })),
  }));
  return {
    ...definition,
    containerDefinitions: containers,
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7',
    revision: 7,
    status: 'ACTIVE',
    volumes: [],
    placementConstraints: [],
    compatibilities: ['EC2', 'FARGATE'],
    requiresAttributes: [{ name: 'ecs.capability.execution-role-awslogs' }],
    registeredAt: '2026-11-24T10:00:00.000Z',
    registeredBy: 'arn:aws:sts::123456789012:assumed-role/deployer/x',
  };
}

describe('normaliseTaskDefinition', () => {
  it('treats a rendered definition and its registered form as equal', () => {
    const rendered = webDefinition('registry.example/web:1', { A: '1', B: '2' });
    expect(sameTaskDefinition(normaliseTaskDefinition(rendered), normaliseTaskDefinition(asRegistered(rendered)))).toBe(
      true,
    );
  });

  it('keeps differences that matter: essential false, another port, numeric cpu as string', () => {
    const rendered = webDefinition('registry.example/web:1');
    const changed = structuredClone(rendered);
    (changed.containerDefinitions as Record<string, unknown>[])[0]!.essential = false;
    expect(sameTaskDefinition(normaliseTaskDefinition(rendered), normaliseTaskDefinition(changed))).toBe(false);
    expect(normaliseTaskDefinition({ ...rendered, cpu: 256 }).cpu).toBe('256');
  });
});

describe('diffTaskDefinitions', () => {
  it('lists image, environment, secret, size and port changes readably', () => {
    const before = normaliseTaskDefinition(
      asRegistered(webDefinition('registry.example/web:1', { A: '1', GONE: 'x' })),
    );
    const afterInput = webDefinition('registry.example/web:2', { A: '2', NEW: 'y' });
    afterInput.memory = '1024';
    const container = (afterInput.containerDefinitions as Record<string, unknown>[])[0]!;
    container.portMappings = [{ containerPort: 9090 }];
    container.secrets = [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/db' }];
    const lines = diffTaskDefinitions(before, normaliseTaskDefinition(afterInput));
    expect(lines).toEqual([
      '~ memory: 512 → 1024',
      '~ container web: image: registry.example/web:1 → registry.example/web:2',
      '~ container web: env A: 1 → 2',
      '+ container web: env NEW=y',
      '- container web: env GONE',
      '~ container web: secret DB_PASSWORD: arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf → arn:aws:ssm:us-east-1:123456789012:parameter/db',
      '~ container web: ports: 8080/tcp → 9090/tcp',
    ]);
  });

  it('is empty for equal definitions and names added containers and other fields', () => {
    const base = normaliseTaskDefinition(webDefinition('registry.example/web:1'));
    expect(diffTaskDefinitions(base, base)).toEqual([]);
    const withSidecar = webDefinition('registry.example/web:1');
    (withSidecar.containerDefinitions as unknown[]).push({ name: 'envoy', image: 'envoy:1', user: '1337' });
    withSidecar.pidMode = 'task';
    expect(diffTaskDefinitions(base, normaliseTaskDefinition(withSidecar))).toEqual([
      '+ container envoy (image envoy:1)',
      '+ pidMode: task',
    ]);
  });
});

describe('describeStoppedTask', () => {
  const arn = 'arn:aws:ecs:us-east-1:123456789012:task/berth/0123456789abcdef0123456789abcdef';

  it('counts a non-zero exit as a failure and names container and code', () => {
    const stopped = describeStoppedTask({
      taskArn: arn,
      stoppedReason: 'Essential container in task exited',
      containers: [
        { name: 'envoy', exitCode: 0 },
        { name: 'web', exitCode: 1 },
      ],
    });
    expect(stopped).toMatchObject({
      failed: true,
      containerName: 'web',
      exitCode: 1,
      taskId: '0123456789abcdef0123456789abcdef',
    });
    expect(stopped.cause).toBe(
      'task 0123456789abcdef0123456789abcdef, container web, exit code 1, stoppedReason "Essential container in task exited"',
    );
  });

  it('counts failed health checks and start errors, not scale-in', () => {
    expect(
      describeStoppedTask({ taskArn: arn, stoppedReason: 'Task failed ELB health checks in (target-group x)' }).failed,
    ).toBe(true);
    expect(
      describeStoppedTask({ taskArn: arn, stoppedReason: 'ResourceInitializationError: unable to pull secrets' })
        .failed,
    ).toBe(true);
    expect(describeStoppedTask({ taskArn: arn, stopCode: 'TaskFailedToStart', stoppedReason: 'x' }).failed).toBe(true);
    expect(
      describeStoppedTask({
        taskArn: arn,
        stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)',
        containers: [{ name: 'web', exitCode: 0 }],
      }).failed,
    ).toBe(false);
  });
});
