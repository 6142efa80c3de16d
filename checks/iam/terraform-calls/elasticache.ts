import { knownString, ofType } from '../platform-plan.ts';
import { arn, type Call, type ResourceCalls } from './resource-calls.ts';

export const elasticacheCalls: Record<string, ResourceCalls> = {
  aws_elasticache_subnet_group: (subject) => {
    const group = arn(subject.at, 'elasticache', `subnetgroup:${knownString(subject.resource, 'name')}`);
    const on = (action: string): Call => ({ action: `elasticache:${action}`, resource: group });
    return {
      read: [on('DescribeCacheSubnetGroups'), on('ListTagsForResource')],
      create: [on('CreateCacheSubnetGroup'), on('AddTagsToResource')],
      update: [on('ModifyCacheSubnetGroup')],
      delete: [on('DeleteCacheSubnetGroup')],
    };
  },

  aws_elasticache_replication_group: (subject) => {
    const id = knownString(subject.resource, 'replication_group_id');
    const group = arn(subject.at, 'elasticache', `replicationgroup:${id}`);
    const count = Number(subject.resource.values.num_cache_clusters ?? 1);
    const clusters = Array.from({ length: count }, (_, index) =>
      arn(subject.at, 'elasticache', `cluster:${id}-${String(index + 1).padStart(3, '0')}`),
    );
    const engine = `${knownString(subject.resource, 'engine')}${knownString(subject.resource, 'engine_version').split('.')[0]}`;
    const subnetGroup = ofType(subject.platform, 'aws_elasticache_subnet_group').map((g) => knownString(g, 'name'));
    const on = (action: string): Call => ({ action: `elasticache:${action}`, resource: group });
    return {
      read: [
        on('DescribeReplicationGroups'),
        on('ListTagsForResource'),
        ...clusters.map((cluster) => ({ action: 'elasticache:DescribeCacheClusters', resource: cluster })),
      ],
      create: [
        on('CreateReplicationGroup'),
        ...clusters.map((cluster) => ({ action: 'elasticache:CreateReplicationGroup', resource: cluster })),
        {
          action: 'elasticache:CreateReplicationGroup',
          resource: arn(subject.at, 'elasticache', `parametergroup:default.${engine}`),
          scope: 'account' as const,
        },
        ...subnetGroup.map((name) => ({
          action: 'elasticache:CreateReplicationGroup',
          resource: arn(subject.at, 'elasticache', `subnetgroup:${name}`),
        })),
        on('AddTagsToResource'),
      ],
      update: [on('ModifyReplicationGroup')],
      delete: [on('DeleteReplicationGroup')],
    };
  },
};
