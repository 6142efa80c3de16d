import { referencedResource, tagsOf } from '../platform-plan.ts';
import { arn, environmentOf, generatedId, type ResourceCalls } from './resource-calls.ts';

export const acmCalls: Record<string, ResourceCalls> = {
  aws_acm_certificate: (subject) => {
    const certificate = arn(subject.at, 'acm', `certificate/${generatedId('c', subject.resource).slice(2)}`);
    const tags = tagsOf(subject.resource);
    const requestTags = { 'aws:RequestTag/Environment': tags.Environment ?? '', 'aws:TagKeys': Object.keys(tags) };
    const tagged = { 'aws:ResourceTag/Environment': environmentOf(subject.resource, subject.environment) };
    return {
      read: [
        { action: 'acm:DescribeCertificate', resource: certificate, context: tagged },
        { action: 'acm:ListTagsForCertificate', resource: certificate, context: tagged },
      ],
      create: [
        { action: 'acm:RequestCertificate', resource: '*', context: requestTags },
        { action: 'acm:AddTagsToCertificate', resource: '*', context: requestTags },
      ],
      delete: [{ action: 'acm:DeleteCertificate', resource: certificate, context: tagged }],
    };
  },

  aws_acm_certificate_validation: (subject) => {
    const certificateResource = referencedResource(subject.platform, subject.resource, 'certificate_arn');
    const certificate = arn(subject.at, 'acm', `certificate/${generatedId('c', certificateResource).slice(2)}`);
    const tagged = { 'aws:ResourceTag/Environment': environmentOf(certificateResource, subject.environment) };
    return { create: [{ action: 'acm:DescribeCertificate', resource: certificate, context: tagged }] };
  },
};
