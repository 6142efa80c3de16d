import { knownString, referencedResource } from '../platform-plan.ts';
import { arn, type Call, type ResourceCalls } from './resource-calls.ts';

export const snsCalls: Record<string, ResourceCalls> = {
  aws_sns_topic: (subject) => {
    const topic = arn(subject.at, 'sns', knownString(subject.resource, 'name'));
    const on = (action: string): Call => ({ action: `sns:${action}`, resource: topic });
    return {
      read: [on('GetTopicAttributes'), on('ListTagsForResource')],
      create: [on('CreateTopic'), on('TagResource'), on('SetTopicAttributes')],
      update: [on('SetTopicAttributes')],
      delete: [on('DeleteTopic')],
    };
  },

  aws_sns_topic_policy: (subject) => {
    const topic = arn(
      subject.at,
      'sns',
      knownString(referencedResource(subject.platform, subject.resource, 'arn'), 'name'),
    );
    return {
      read: [{ action: 'sns:GetTopicAttributes', resource: topic }],
      create: [{ action: 'sns:SetTopicAttributes', resource: topic }],
      update: [{ action: 'sns:SetTopicAttributes', resource: topic }],
      delete: [{ action: 'sns:SetTopicAttributes', resource: topic }],
    };
  },

  aws_sns_topic_subscription: (subject) => {
    const topicName = knownString(referencedResource(subject.platform, subject.resource, 'topic_arn'), 'name');
    // IAM authorises subscription calls on the topic the subscription belongs to.
    const topic = arn(subject.at, 'sns', topicName);
    return {
      read: [{ action: 'sns:GetSubscriptionAttributes', resource: topic }],
      create: [
        {
          action: 'sns:Subscribe',
          resource: topic,
          context: { 'sns:Protocol': knownString(subject.resource, 'protocol') },
        },
      ],
      update: [{ action: 'sns:SetSubscriptionAttributes', resource: topic }],
      delete: [{ action: 'sns:Unsubscribe', resource: topic }],
    };
  },
};
