import { knownString } from '../platform-plan.ts';
import { arn, type Call, type ResourceCalls } from './resource-calls.ts';

export const dynamodbCalls: Record<string, ResourceCalls> = {
  aws_dynamodb_table: (subject) => {
    const table = arn(subject.at, 'dynamodb', `table/${knownString(subject.resource, 'name')}`);
    const on = (action: string): Call => ({ action: `dynamodb:${action}`, resource: table });
    return {
      read: [on('DescribeTable'), on('DescribeContinuousBackups'), on('DescribeTimeToLive'), on('ListTagsOfResource')],
      create: [on('CreateTable'), on('TagResource'), on('UpdateContinuousBackups')],
      update: [on('UpdateTable'), on('UpdateContinuousBackups')],
      delete: [on('DeleteTable')],
    };
  },
};
