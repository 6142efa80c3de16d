import type { PlatformPlan } from './platform-plan.ts';
import type { JobCall } from './simulator.ts';
import { acmCalls } from './terraform-calls/acm.ts';
import { applicationAutoscalingCalls } from './terraform-calls/application-autoscaling.ts';
import { cloudwatchCalls } from './terraform-calls/cloudwatch.ts';
import { codedeployCalls } from './terraform-calls/codedeploy.ts';
import { dynamodbCalls } from './terraform-calls/dynamodb.ts';
import { ec2Calls } from './terraform-calls/ec2.ts';
import { ecsCalls } from './terraform-calls/ecs.ts';
import { elasticacheCalls } from './terraform-calls/elasticache.ts';
import { elbCalls } from './terraform-calls/elb.ts';
import { eventsCalls } from './terraform-calls/events.ts';
import { iamCalls } from './terraform-calls/iam.ts';
import { lambdaCalls } from './terraform-calls/lambda.ts';
import { logsCalls } from './terraform-calls/logs.ts';
import { rdsCalls } from './terraform-calls/rds.ts';
import type { ArnScope, DataSourceCalls, Operation, ResourceCalls } from './terraform-calls/resource-calls.ts';
import { secretsManagerCalls, secretsManagerDataSourceCalls } from './terraform-calls/secrets-manager.ts';
import { serviceDiscoveryCalls } from './terraform-calls/service-discovery.ts';
import { sesCalls } from './terraform-calls/ses.ts';
import { snsCalls } from './terraform-calls/sns.ts';
import { wafv2Calls } from './terraform-calls/wafv2.ts';

export { OPERATIONS, type ArnScope, type Operation } from './terraform-calls/resource-calls.ts';

/**
 * The AWS calls `terraform plan`, `apply` and `destroy` make for each resource type of terraform/platform (the
 * hashicorp/aws provider's create, read, update and delete), with the ARNs and request context IAM sees, computed
 * from a plan of the platform. One table per AWS service lives in terraform-calls/. A type no table knows is an
 * error: a new kind of resource in the platform cannot go unchecked.
 */
const TABLES: Record<string, Record<string, ResourceCalls>> = {
  acm: acmCalls,
  'application-autoscaling': applicationAutoscalingCalls,
  cloudwatch: cloudwatchCalls,
  codedeploy: codedeployCalls,
  dynamodb: dynamodbCalls,
  ec2: ec2Calls,
  ecs: ecsCalls,
  elasticache: elasticacheCalls,
  elb: elbCalls,
  events: eventsCalls,
  iam: iamCalls,
  lambda: lambdaCalls,
  logs: logsCalls,
  rds: rdsCalls,
  'secrets-manager': secretsManagerCalls,
  'service-discovery': serviceDiscoveryCalls,
  ses: sesCalls,
  sns: snsCalls,
  wafv2: wafv2Calls,
};

/**
 * Data sources of the platform. The ones computed by the provider itself call nothing; the account-level reads
 * (caller identity, availability zones) are among the terraform and plan roles' unscopable reads.
 */
export const DATA_SOURCE_CALLS: Record<string, DataSourceCalls> = {
  aws_caller_identity: () => [],
  aws_partition: () => [],
  aws_iam_policy_document: () => [],
  aws_availability_zones: () => [{ action: 'ec2:DescribeAvailabilityZones', resource: '*', scope: 'account' }],
  ...secretsManagerDataSourceCalls,
};

/** Every table merged; a resource type described by two tables would let one silently win, so it throws. */
export const RESOURCE_CALLS: Record<string, ResourceCalls> = mergeTables(TABLES);

export function mergeTables(tables: Record<string, Record<string, ResourceCalls>>): Record<string, ResourceCalls> {
  const merged: Record<string, ResourceCalls> = {};
  const owner: Record<string, string> = {};
  for (const [service, table] of Object.entries(tables)) {
    for (const [type, calls] of Object.entries(table)) {
      if (type in merged) {
        throw new Error(
          `${type} is described by both terraform-calls/${owner[type]}.ts and terraform-calls/${service}.ts`,
        );
      }
      merged[type] = calls;
      owner[type] = service;
    }
  }
  return merged;
}

/**
 * Every call Terraform makes for the plan's resources in the given operations. Throws, naming every type at once,
 * when the plan holds resource types no table describes.
 */
export function terraformCalls(
  platform: PlatformPlan,
  at: ArnScope,
  environment: string,
  operations: readonly Operation[],
): JobCall[] {
  const unknownTypes = [...new Set(platform.resources.map((resource) => resource.type))].filter(
    (type) => !(type in RESOURCE_CALLS),
  );
  if (unknownTypes.length > 0) {
    throw new Error(
      `checks/iam/terraform-calls/ describes no AWS calls for ${unknownTypes.join(', ')}: add each type to the ` +
        'table of its AWS service there, and what it needs to the terraform role (terraform/modules/environment-access)',
    );
  }
  const unknownDataSources = [...new Set(platform.dataSources.map((source) => source.type))].filter(
    (type) => !(type in DATA_SOURCE_CALLS),
  );
  if (unknownDataSources.length > 0) {
    throw new Error(
      `checks/iam/terraform-calls.ts describes no AWS calls for the data sources ${unknownDataSources.join(', ')}: ` +
        'add each to DATA_SOURCE_CALLS, and what it needs to the terraform and plan roles',
    );
  }
  const calls: JobCall[] = [];
  // Every plan, apply and destroy reads the data sources again.
  if (operations.includes('read')) {
    for (const source of platform.dataSources) {
      const subject = { resource: source, platform, at, environment };
      for (const call of (DATA_SOURCE_CALLS[source.type] as DataSourceCalls)(subject)) {
        calls.push({ ...call, scope: call.scope ?? 'environment', origin: `${source.address} (read)` });
      }
    }
  }
  for (const resource of platform.resources) {
    const byOperation = (RESOURCE_CALLS[resource.type] as ResourceCalls)({ resource, platform, at, environment });
    for (const operation of operations) {
      for (const call of byOperation[operation] ?? []) {
        calls.push({ ...call, scope: call.scope ?? 'environment', origin: `${resource.address} (${operation})` });
      }
    }
  }
  return calls;
}
