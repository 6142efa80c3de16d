import { knownString, tagsOf } from '../platform-plan.ts';
import { arn, type Call, environmentOf, type ResourceCalls } from './resource-calls.ts';

/**
 * SES v2 (the provider's aws_sesv2_email_identity): every call names the identity, arn:…:identity/<address>.
 * CreateEmailIdentity carries the default tags (aws:RequestTag, aws:TagKeys) and, as every SES v2 create with tags,
 * is authorised for ses:TagResource too; Get, Delete and the tag changes are on the existing identity
 * (aws:ResourceTag). ListTagsForResource has no tag condition key: only its ARN scopes it.
 */
export const sesCalls: Record<string, ResourceCalls> = {
  aws_sesv2_email_identity: (subject) => {
    const identity = arn(subject.at, 'ses', `identity/${knownString(subject.resource, 'email_identity')}`);
    const tags = tagsOf(subject.resource);
    const requestTags = { 'aws:RequestTag/Environment': tags.Environment ?? '', 'aws:TagKeys': Object.keys(tags) };
    const owned = { 'aws:ResourceTag/Environment': environmentOf(subject.resource, subject.environment) };
    const on = (action: string, context?: Call['context']): Call => ({
      action: `ses:${action}`,
      resource: identity,
      context,
    });
    return {
      read: [on('GetEmailIdentity', owned), on('ListTagsForResource')],
      create: [on('CreateEmailIdentity', requestTags), on('TagResource', requestTags)],
      // The notifier sets neither a configuration set nor DKIM attributes: only its tags can change. An identity
      // adopted from SES v1 (imported, untagged) is first tagged as at create.
      update: [on('TagResource', owned), on('UntagResource', owned)],
      delete: [on('DeleteEmailIdentity', owned)],
    };
  },
};
