import { describe, expect, it } from 'vitest';
import { fargateSizeProblem, parseCpuUnits, parseMemoryMiB } from '../src/fargate';
import { validateTaskDefinition } from '../src/validate';

const base = () => ({
  family: 'berth-dev-app',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
  containerDefinitions: [
    {
      name: 'app',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1',
      essential: true,
      portMappings: [{ containerPort: 80 }],
    },
  ] as Record<string, unknown>[],
});

describe('validateTaskDefinition', () => {
  it('accepts a valid Fargate definition', () => {
    expect(validateTaskDefinition(base())).toEqual([]);
  });

  it('rejects unknown and read-only top-level keys', () => {
    const td = { ...base(), revision: 3, famly: 'x' };
    expect(validateTaskDefinition(td)).toEqual([
      '"revision" is a read-only field returned by DescribeTaskDefinition: remove it from the template',
      expect.stringMatching(/^"famly" is not a RegisterTaskDefinition field/),
    ]);
  });

  it('checks the Fargate cpu/memory table and network mode', () => {
    expect(validateTaskDefinition({ ...base(), memory: '4096' })).toEqual([
      '"cpu"/"memory": memory 4096 MiB is not valid with cpu 256 on Fargate: cpu 256 allows 512, 1024, 2048 MiB; memory 4096 fits cpu 512 or 1024 or 2048',
    ]);
    expect(validateTaskDefinition({ ...base(), cpu: '300' })[0]).toMatch(/cpu 300 is not a Fargate CPU size/);
    expect(validateTaskDefinition({ ...base(), networkMode: 'bridge' })).toEqual([
      '"networkMode" must be "awsvpc" for FARGATE; got "bridge"',
    ]);
    const { cpu: _cpu, ...noCpu } = base();
    expect(validateTaskDefinition(noCpu)).toEqual(['"cpu" is required at task level for FARGATE (e.g. "256")']);
    expect(validateTaskDefinition({ ...base(), cpu: '1 vCPU', memory: '3 GB' })).toEqual([]);
    // Non-Fargate definitions are not held to the Fargate table.
    expect(
      validateTaskDefinition({ ...base(), requiresCompatibilities: ['EC2'], networkMode: 'bridge', cpu: '300' }),
    ).toEqual([]);
  });

  it('requires an essential container, unique names and an image', () => {
    const td = base();
    td.containerDefinitions = [
      { name: 'app', image: 'x', essential: false },
      { name: 'app', essential: false },
    ];
    expect(validateTaskDefinition(td)).toEqual([
      'containerDefinitions[1].name "app" is already used by containerDefinitions[0]: container names must be unique',
      'containerDefinitions[1] (app).image is missing: set it in the template or pass it with the "images" input',
      'no container is essential: mark at least one with "essential": true',
    ]);
    expect(validateTaskDefinition({ ...base(), containerDefinitions: [] })).toEqual([
      '"containerDefinitions" must list at least one container',
    ]);
  });

  it('checks dependsOn: another container of the definition, a known condition, SUCCESS only on one that exits', () => {
    const td = base();
    td.containerDefinitions = [
      {
        name: 'app',
        image: 'x',
        dependsOn: [
          { containerName: 'migrate', condition: 'SUCCESS' },
          { containerName: 'app', condition: 'START' },
          { containerName: 'sidecar', condition: 'SUCCESS' },
          { containerName: 'sidecar', condition: 'HEALTHY' },
          { containerName: 'migrate', condition: 'DONE' },
          { containerName: 'missing', condition: 'START' },
        ],
      },
      { name: 'migrate', image: 'x', essential: false },
      { name: 'sidecar', image: 'x' },
    ];
    expect(validateTaskDefinition(td)).toEqual([
      'containerDefinitions[0] (app).dependsOn[1].containerName "app" must name another container of this definition (app, migrate, sidecar)',
      'containerDefinitions[0] (app).dependsOn[2]: SUCCESS waits for container "sidecar" to exit, so it must be "essential": false',
      'containerDefinitions[0] (app).dependsOn[3]: HEALTHY needs container "sidecar" to have a healthCheck',
      'containerDefinitions[0] (app).dependsOn[4].condition must be one of START, COMPLETE, SUCCESS, HEALTHY; got "DONE"',
      'containerDefinitions[0] (app).dependsOn[5].containerName "missing" must name another container of this definition (app, migrate, sidecar)',
    ]);
  });

  it('checks port ranges and awsvpc host ports', () => {
    const td = base();
    td.containerDefinitions[0]!.portMappings = [{ containerPort: 70000 }, { containerPort: 80, hostPort: 8080 }];
    expect(validateTaskDefinition(td)).toEqual([
      'containerDefinitions[0] (app).portMappings[0].containerPort must be a whole number from 1 to 65535; got 70000',
      'containerDefinitions[0] (app).portMappings[1].hostPort must equal containerPort (or be omitted) in awsvpc mode',
    ]);
  });

  it('requires executionRoleArn for ECR images, awslogs and secrets', () => {
    const { executionRoleArn: _e, ...td } = base();
    expect(validateTaskDefinition(td)).toEqual([
      '"executionRoleArn" is required because containerDefinitions[0] (app) pulls from ECR: use the placeholder ${execution_role_arn}',
    ]);
    const logs = {
      ...td,
      containerDefinitions: [{ name: 'app', image: 'nginx', logConfiguration: { logDriver: 'awslogs', options: {} } }],
    };
    expect(validateTaskDefinition(logs)).toEqual([
      'containerDefinitions[0] (app).logConfiguration.options["awslogs-group"] is required for the awslogs driver',
      'containerDefinitions[0] (app).logConfiguration.options["awslogs-region"] is required for the awslogs driver',
      '"executionRoleArn" is required because containerDefinitions[0] (app) logs with awslogs: use the placeholder ${execution_role_arn}',
    ]);
    expect(validateTaskDefinition({ ...td, containerDefinitions: [{ name: 'app', image: 'nginx' }] })).toEqual([]);
  });

  it('checks health checks and environment entries', () => {
    const td = base();
    td.containerDefinitions[0]!.healthCheck = { command: ['curl localhost'], interval: 1 };
    td.containerDefinitions[0]!.environment = [{ name: 'A', value: 1 }];
    expect(validateTaskDefinition(td)).toEqual([
      'containerDefinitions[0] (app).environment[0] must be {"name": string, "value": string}; got {"name":"A","value":1}',
      expect.stringMatching(/healthCheck\.command must be a list starting with "CMD" or "CMD-SHELL"/),
      'containerDefinitions[0] (app).healthCheck.interval must be a whole number from 5 to 300; got 1',
    ]);
  });

  it('flags ARNs from another account than the environment', () => {
    expect(validateTaskDefinition(base(), { expectedAccountId: '000000000000' })).toEqual([
      expect.stringMatching(/^executionRoleArn names account 123456789012 .* in account 000000000000/),
    ]);
  });
});

describe('Fargate sizes', () => {
  it('parses units and knows the table', () => {
    expect(parseCpuUnits('0.25 vCPU')).toBe(256);
    expect(parseCpuUnits(1024)).toBe(1024);
    expect(parseCpuUnits('fast')).toBeUndefined();
    expect(parseMemoryMiB('2GB')).toBe(2048);
    expect(parseMemoryMiB(1.5)).toBeUndefined();
    expect(fargateSizeProblem(512, 3072)).toBeUndefined();
    expect(fargateSizeProblem(8192, 20480)).toBeUndefined();
    expect(fargateSizeProblem(8192, 17408)).toMatch(/cpu 8192 allows 16384 to 61440 in steps of 4096 MiB/);
    expect(fargateSizeProblem(16384, 122880)).toBeUndefined();
  });
});
