import { read, type ResourceCalls } from './resource-calls.ts';

export const sesCalls: Record<string, ResourceCalls> = {
  aws_ses_email_identity: () => ({
    read: [read('ses:GetIdentityVerificationAttributes')],
    create: [{ action: 'ses:VerifyEmailIdentity', resource: '*', scope: 'account' }],
    delete: [{ action: 'ses:DeleteIdentity', resource: '*', scope: 'account' }],
  }),
};
