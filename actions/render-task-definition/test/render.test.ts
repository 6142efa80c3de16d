import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTerraformOutputs } from '@berth/kit';
import { renderTaskDefinition, accountOfOutputs, type RenderRequest } from '../src/render';
import { readTfvars } from '../src/tfvars';
import { parseContainerSettings } from '../src/container-settings';

const here = import.meta.dirname;
const repo = join(here, '..', '..', '..');
const tfvarsPath = join(here, 'fixtures', 'unit.tfvars');
const unitTfvars = await readTfvars(tfvarsPath);
const outputs = readTerraformOutputs(join(repo, 'actions/render-task-definition/examples/terraform-outputs.dev.json'));

function request(template: unknown, overrides: Partial<RenderRequest> = {}): RenderRequest {
  return {
    templateText: typeof template === 'string' ? template : JSON.stringify(template, null, 2),
    templatePath: 'template.json',
    environment: 'dev',
    tfvars: unitTfvars,
    tfvarsPath,
    terraformOutputs: outputs,
    images: new Map([['app', '123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/app:1']]),
    environmentVariables: [],
    secrets: [],
    ...overrides,
  };
}

const validTemplate = () => ({
  family: '${project}-${environment}-app',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '${service_cpu.api-gateway}',
  memory: '${service_memory.api-gateway}',
  executionRoleArn: '${execution_role_arns.api-gateway}',
  containerDefinitions: [
    {
      name: 'app',
      image: '${images.app}',
      essential: true,
      portMappings: [{ containerPort: 8000 }],
      environment: [
        { name: 'DB_PORT', value: '${database_port}' },
        { name: 'KEEP', value: 'old' },
      ],
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '${log_group_names.api-gateway}', 'awslogs-region': '${aws_region}' },
      },
    },
  ],
});

describe('renderTaskDefinition', () => {
  it('fills placeholders from tfvars, outputs and images, keeping API string fields strings', () => {
    const result = renderTaskDefinition(request(validTemplate()));
    expect(result.problems).toEqual([]);
    const td = result.taskDefinition!;
    expect(td.family).toBe('berth-dev-app');
    expect(td.cpu).toBe('256');
    expect(td.memory).toBe('512');
    expect(td.executionRoleArn).toBe('arn:aws:iam::123456789012:role/berth-dev-api-gateway-execution');
    const container = td.containerDefinitions[0]!;
    expect(container.image).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/app:1');
    expect(container.environment).toEqual([
      { name: 'DB_PORT', value: '5432' },
      { name: 'KEEP', value: 'old' },
    ]);
    expect((container.logConfiguration as { options: Record<string, string> }).options['awslogs-group']).toBe(
      '/ecs/berth-dev/api-gateway',
    );
  });

  it('lets outputs win over tfvars and keeps $${…} as a literal', () => {
    const template = validTemplate();
    (template.containerDefinitions[0]!.environment as unknown[]).push({
      name: 'SHELL',
      value: 'echo $${HOME} ${aws_region}',
    });
    const result = renderTaskDefinition(request(template, { tfvars: { ...unitTfvars, aws_region: 'eu-west-1' } }));
    expect(result.problems).toEqual([]);
    const env = result.taskDefinition!.containerDefinitions[0]!.environment as { name: string; value: string }[];
    expect(env.find((e) => e.name === 'SHELL')!.value).toBe('echo ${HOME} us-east-1');
  });

  it('merges environment variables and secrets (same name replaces; values may hold = and :)', () => {
    const env = parseContainerSettings('app:KEEP=new=value\napp:EXTRA=a:b', 'environment-variables');
    const secrets = parseContainerSettings(
      'app:DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbC:password::',
      'secrets',
    );
    const result = renderTaskDefinition(
      request(validTemplate(), { environmentVariables: env.settings, secrets: secrets.settings }),
    );
    expect(result.problems).toEqual([]);
    const container = result.taskDefinition!.containerDefinitions[0]!;
    expect(container.environment).toEqual([
      { name: 'DB_PORT', value: '5432' },
      { name: 'KEEP', value: 'new=value' },
      { name: 'EXTRA', value: 'a:b' },
    ]);
    expect(container.secrets).toEqual([
      { name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbC:password::' },
    ]);
  });

  it('rejects malformed container settings lines', () => {
    expect(parseContainerSettings('no-colon=1\napp:9BAD=1', 'secrets').problems).toEqual([
      'input "secrets" line 1 "no-colon=1" is not of the form container:NAME=value',
      'input "secrets" line 2 "app:9BAD=1" is not of the form container:NAME=value',
    ]);
  });

  it('reports a JSON syntax error with line and column', () => {
    const result = renderTaskDefinition(request('{\n  "family": "x",\n  "cpu": 256,,\n}'));
    expect(result.taskDefinition).toBeUndefined();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/^template template\.json is not valid JSON at line 3, column 14/);
  });

  it('lists every unresolved placeholder with where it stands, and malformed ones', () => {
    const template = validTemplate();
    template.family = '${nope}-${environment}';
    template.containerDefinitions[0]!.image = '${images.other}';
    (template.containerDefinitions[0]!.environment as unknown[]).push({ name: 'X', value: '${nope} ${ bad name }' });
    const result = renderTaskDefinition(request(template));
    expect(result.problems[0]).toBe(
      `unresolved placeholders: \${nope} (at family, containerDefinitions[0].environment[2].value); \${images.other} (at containerDefinitions[0].image). Define them in ${tfvarsPath}, in the Terraform outputs, or give the image with the "images" input`,
    );
    expect(result.problems[1]).toMatch(
      /^malformed placeholder \$\{ bad name \} at containerDefinitions\[0\]\.environment\[2\]\.value/,
    );
  });

  it('names an unknown container in images, env and secrets with the containers that exist', () => {
    const result = renderTaskDefinition(
      request(validTemplate(), {
        images: new Map([
          ['app', 'nginx:1'],
          ['ap', 'x'],
        ]),
        environmentVariables: parseContainerSettings('web:A=1', 'environment-variables').settings,
      }),
    );
    expect(result.problems).toContain('input "images" names container "ap", but the template\'s containers are: app');
    expect(result.problems).toContain(
      'input "environment-variables" names container "web", but the template\'s containers are: app',
    );
  });

  it('holds every image, from "images" or written in the template, to the allowed repositories', () => {
    const template = validTemplate();
    template.containerDefinitions.push({
      ...template.containerDefinitions[0]!,
      name: 'sidecar',
      image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0',
      essential: false,
      portMappings: [],
    });
    const allowed = ['123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/app'];
    const refused = renderTaskDefinition(request(template, { allowedImageRepositories: allowed }));
    expect(refused.taskDefinition).toBeUndefined();
    expect(refused.problems).toEqual([
      expect.stringMatching(
        /^containerDefinitions\[1\] \(sidecar\)\.image "public\.ecr\.aws\/aws-observability\/aws-otel-collector:v0\.40\.0" is from repository public\.ecr\.aws\/aws-observability\/aws-otel-collector, which "allowed-image-repositories" does not list/,
      ),
    ]);

    const both = [...allowed, 'public.ecr.aws/aws-observability/aws-otel-collector'];
    expect(renderTaskDefinition(request(template, { allowedImageRepositories: both })).problems).toEqual([]);
    expect(renderTaskDefinition(request(template)).problems).toEqual([]);
  });

  it('refuses a template that hard-codes an account id, and an ARN from another account', () => {
    const template = validTemplate();
    template.executionRoleArn = 'arn:aws:iam::000000000000:role/LabRole';
    const result = renderTaskDefinition(request(template));
    expect(
      result.problems.some((p) => p.includes('hard-codes arn:aws:iam::000000000000:role/LabRole at executionRoleArn')),
    ).toBe(true);
    expect(
      result.problems.some(
        (p) => p.startsWith('executionRoleArn names account 000000000000') && p.includes('123456789012'),
      ),
    ).toBe(true);

    const viaInput = renderTaskDefinition(
      request(validTemplate(), {
        secrets: parseContainerSettings('app:S=arn:aws:ssm:us-east-1:000000000000:parameter/x', 'secrets').settings,
      }),
    );
    expect(viaInput.problems).toEqual([
      expect.stringMatching(/^containerDefinitions\[0\]\.secrets\[0\]\.valueFrom names account 000000000000/),
    ]);
  });

  it('derives the environment account from outputs', () => {
    expect(accountOfOutputs(outputs)).toBe('123456789012');
    expect(accountOfOutputs({ aws_account_id: '000000000000', x: 'arn:aws:iam::123456789012:role/a' })).toBe(
      '000000000000',
    );
    expect(
      accountOfOutputs({ a: 'arn:aws:iam::123456789012:role/a', b: 'arn:aws:iam::000000000000:role/b' }),
    ).toBeUndefined();
    expect(accountOfOutputs(undefined)).toBeUndefined();
  });

  it('loads the template examples with readTfvars and reports a broken tfvars file', async () => {
    expect((await readTfvars(tfvarsPath)).service_cpu).toEqual({
      'api-gateway': 256,
      'product-service': 256,
      'inventory-service': 256,
    });
    await expect(readTfvars(join(here, 'fixtures', 'missing.tfvars'))).rejects.toThrow(
      /cannot read tfvars file .*missing\.tfvars \(ENOENT\)/,
    );
    await expect(readTfvars(join(here, 'fixtures', 'broken.tfvars'))).rejects.toThrow(/is not valid HCL/);
    expect(readFileSync(join(here, 'fixtures', 'broken.tfvars'), 'utf8')).toContain('{');
  });
});
