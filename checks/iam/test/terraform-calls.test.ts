import { describe, expect, it } from 'vitest';
import { mergeTables, RESOURCE_CALLS, terraformCalls } from '../terraform-calls.ts';
import type { PlatformPlan } from '../platform-plan.ts';

const nothing = () => ({});

describe('terraform calls, one table per AWS service', () => {
  it('refuses a resource type that two service tables both describe, naming both files', () => {
    expect(() => mergeTables({ ecs: { aws_ecs_service: nothing }, elb: { aws_ecs_service: nothing } })).toThrow(
      'aws_ecs_service is described by both terraform-calls/ecs.ts and terraform-calls/elb.ts',
    );
  });

  it('merges every service table into one lookup', () => {
    expect(Object.keys(RESOURCE_CALLS)).toEqual(
      expect.arrayContaining(['aws_vpc', 'aws_ecs_service', 'aws_sns_topic']),
    );
  });

  it('names every resource type no table describes, at once', () => {
    const platform = {
      resources: [
        { address: 'aws_made_up.a', type: 'aws_made_up', values: {} },
        { address: 'aws_other_made_up.b', type: 'aws_other_made_up', values: {} },
      ],
    } as unknown as PlatformPlan;
    expect(() =>
      terraformCalls(platform, { partition: 'aws', region: 'eu-west-1', accountId: '111111111111' }, 'dev', ['read']),
    ).toThrow(/no AWS calls for aws_made_up, aws_other_made_up: add each type to the table of its AWS service/);
  });
});
