import { describe, expect, it } from 'vitest';
import { fillTemplate, parsePermissionsTable } from '../action-permissions.ts';

const readme = (table: string) =>
  `# An action\n\nText.\n\n## IAM permissions\n\nWhat it needs.\n\n${table}\n\n## Inputs\n\n| a | b |\n| - | - |\n| x | y |\n`;

describe('README permissions tables', () => {
  it('reads the rows of the "IAM permissions" section only', () => {
    const rows = parsePermissionsTable(
      readme(
        [
          '| Action | Resource | When |',
          '| --- | --- | --- |',
          '| `ecs:UpdateService` | `arn:PARTITION:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE` | always |',
          '| `ecs:DescribeTaskDefinition` | `*` | a rollout fails |',
        ].join('\n'),
      ),
      'README.md',
    );
    expect(rows).toEqual([
      {
        action: 'ecs:UpdateService',
        resource: 'arn:PARTITION:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE',
        when: 'always',
      },
      { action: 'ecs:DescribeTaskDefinition', resource: '*', when: 'a rollout fails' },
    ]);
  });

  it('reports a missing section or table', () => {
    expect(() => parsePermissionsTable('# Action\n\n## Inputs\n', 'actions/x/README.md')).toThrow(
      'actions/x/README.md: no "## IAM permissions" section',
    );
    expect(() => parsePermissionsTable(readme('Nothing.'), 'actions/x/README.md')).toThrow(/has no table/);
    expect(() => parsePermissionsTable(readme('| Permission | Why |\n| - | - |\n| a | b |'), 'R')).toThrow(
      /columns are permission, why; expected Action, Resource, When/,
    );
  });

  it('reports every bad row at once', () => {
    const table = [
      '| Action | Resource | When |',
      '| --- | --- | --- |',
      '| `UpdateService` | `arn:aws:ecs:REGION:ACCOUNT:service/CLUSTERNAME/x` | always |',
      '| `ecs:ListTasks` | `service/x` | |',
    ].join('\n');
    expect(() => parsePermissionsTable(readme(table), 'R')).toThrow(
      [
        'R, permissions row 1: "UpdateService" is not service:Action',
        'R, permissions row 1: CLUSTERNAME is not a placeholder (known: PARTITION, REGION, ACCOUNT, CLUSTER, SERVICE, FAMILY, REVISION, ID, ROLE, REPOSITORY, FUNCTION, APPLICATION, GROUP, CONFIG, ALIAS)',
        'R, permissions row 2: resource "service/x" is neither an ARN nor *',
        'R, permissions row 2: "When" is empty; write always or the input that makes the call',
      ].join('\n'),
    );
  });
});

describe('fillTemplate', () => {
  it('gives one ARN per combination of values', () => {
    expect(
      fillTemplate('arn:PARTITION:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE', {
        PARTITION: ['aws'],
        REGION: ['eu-west-1'],
        ACCOUNT: ['123456789012'],
        CLUSTER: ['berth-dev'],
        SERVICE: ['a', 'b'],
      }),
    ).toEqual([
      'arn:aws:ecs:eu-west-1:123456789012:service/berth-dev/a',
      'arn:aws:ecs:eu-west-1:123456789012:service/berth-dev/b',
    ]);
    expect(fillTemplate('*', {})).toEqual(['*']);
  });

  it('names a placeholder without a value', () => {
    expect(() => fillTemplate('arn:aws:lambda:REGION:1:function:FUNCTION', { REGION: ['x'] })).toThrow(
      /no value for FUNCTION/,
    );
  });
});
