import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config';

const valid = {
  HISTORY_TABLE_NAME: 'berth-history',
  SENDER_EMAIL: 'berth@example.com',
  RECIPIENT_EMAILS: 'team@example.com, oncall@example.com',
  ENVIRONMENT: 'production',
};

describe('readConfig', () => {
  it('reads the variables the Terraform module sets, defaulting to SES', () => {
    expect(
      readConfig({ ...valid, HMAC_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hmac' }),
    ).toEqual({
      historyTableName: 'berth-history',
      senderEmail: 'berth@example.com',
      recipientEmails: ['team@example.com', 'oncall@example.com'],
      transport: 'ses',
      smtpSecretArn: undefined,
      hmacSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hmac',
      environment: 'production',
    });
  });

  it('lists every problem at once', () => {
    expect(() => readConfig({ RECIPIENT_EMAILS: 'team@example.com,not-an-address', EMAIL_TRANSPORT: 'smtp' })).toThrow(
      'deploy-notifier configuration is invalid: HISTORY_TABLE_NAME is not set (the DynamoDB deployment history table); ' +
        'SENDER_EMAIL "" is not an email address; RECIPIENT_EMAILS entry "not-an-address" is not an email address; ' +
        'EMAIL_TRANSPORT is "smtp" but SMTP_SECRET_ARN is not set; ENVIRONMENT is not set (the environment ECS and alarm events belong to)',
    );
  });
});
