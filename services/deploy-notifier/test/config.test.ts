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

  it('reads ALLOWED_SOURCE_ARN_PREFIXES one per line; unset or empty means no filter', () => {
    const prefixes =
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:berth-prod-\n  arn:aws:events:us-east-1:123456789012:rule/berth-prod-  \n\n';
    expect(readConfig({ ...valid, ALLOWED_SOURCE_ARN_PREFIXES: prefixes }).allowedSourceArnPrefixes).toEqual([
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:berth-prod-',
      'arn:aws:events:us-east-1:123456789012:rule/berth-prod-',
    ]);
    expect(readConfig(valid).allowedSourceArnPrefixes).toBeUndefined();
    expect(readConfig({ ...valid, ALLOWED_SOURCE_ARN_PREFIXES: ' \n ' }).allowedSourceArnPrefixes).toBeUndefined();
  });

  it('refuses an ALLOWED_SOURCE_ARN_PREFIXES entry that is not an ARN prefix', () => {
    expect(() => readConfig({ ...valid, ALLOWED_SOURCE_ARN_PREFIXES: 'berth-prod-\narn:aws:events:' })).toThrow(
      'ALLOWED_SOURCE_ARN_PREFIXES entry "berth-prod-" is not an ARN prefix (arn:<partition>:<service>:<region>:<account>:…; one per line)',
    );
  });

  it('lists every problem at once', () => {
    expect(() => readConfig({ RECIPIENT_EMAILS: 'team@example.com,not-an-address', EMAIL_TRANSPORT: 'smtp' })).toThrow(
      'deploy-notifier configuration is invalid: HISTORY_TABLE_NAME is not set (the DynamoDB deployment history table); ' +
        'SENDER_EMAIL "" is not an email address; RECIPIENT_EMAILS entry "not-an-address" is not an email address; ' +
        'EMAIL_TRANSPORT is "smtp" but SMTP_SECRET_ARN is not set; ENVIRONMENT is not set (the environment ECS and alarm events belong to)',
    );
  });
});
