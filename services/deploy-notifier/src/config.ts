/** The Lambda's settings, read from the environment variables the Terraform module sets. */
export interface NotifierConfig {
  historyTableName: string;
  senderEmail: string;
  recipientEmails: string[];
  transport: 'ses' | 'smtp';
  smtpSecretArn?: string;
  hmacSecretArn?: string;
  environment: string;
  /**
   * ARN prefixes of the environment's own alarms and rules (ALLOWED_SOURCE_ARN_PREFIXES, one per line); alarms and
   * events from any other source are dropped. Undefined when unset or empty: nothing is filtered.
   */
  allowedSourceArnPrefixes?: string[];
}

/** The deployment is misconfigured. The message names the variables; it is logged, never sent to callers. */
export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`deploy-notifier configuration is invalid: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

// A prefix must reach into the account field, so it cannot be so short that it matches every account.
const ARN_PREFIX = /^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:\d{12}:/;
const EMAIL = /^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$/;

export function readConfig(env: NodeJS.ProcessEnv): NotifierConfig {
  const problems: string[] = [];
  const value = (name: string): string => (env[name] ?? '').trim();
  const historyTableName = value('HISTORY_TABLE_NAME');
  if (!historyTableName) problems.push('HISTORY_TABLE_NAME is not set (the DynamoDB deployment history table)');
  const senderEmail = value('SENDER_EMAIL');
  if (!EMAIL.test(senderEmail)) problems.push(`SENDER_EMAIL "${senderEmail}" is not an email address`);
  const recipientEmails = value('RECIPIENT_EMAILS')
    .split(',')
    .map((address) => address.trim())
    .filter((address) => address !== '');
  if (recipientEmails.length === 0) problems.push('RECIPIENT_EMAILS is empty (comma-separated addresses)');
  for (const address of recipientEmails) {
    if (!EMAIL.test(address)) problems.push(`RECIPIENT_EMAILS entry "${address}" is not an email address`);
  }
  const transport = value('EMAIL_TRANSPORT') || 'ses';
  if (transport !== 'ses' && transport !== 'smtp')
    problems.push(`EMAIL_TRANSPORT "${transport}" must be "ses" or "smtp"`);
  const smtpSecretArn = value('SMTP_SECRET_ARN') || undefined;
  if (transport === 'smtp' && !smtpSecretArn) problems.push('EMAIL_TRANSPORT is "smtp" but SMTP_SECRET_ARN is not set');
  const environment = value('ENVIRONMENT');
  if (!environment) problems.push('ENVIRONMENT is not set (the environment ECS and alarm events belong to)');
  const prefixes = value('ALLOWED_SOURCE_ARN_PREFIXES')
    .split('\n')
    .map((prefix) => prefix.trim())
    .filter((prefix) => prefix !== '');
  for (const prefix of prefixes) {
    if (!ARN_PREFIX.test(prefix)) {
      problems.push(
        `ALLOWED_SOURCE_ARN_PREFIXES entry "${prefix}" is not an ARN prefix (arn:<partition>:<service>:<region>:<account>:…; one per line)`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    historyTableName,
    senderEmail,
    recipientEmails,
    transport: transport as NotifierConfig['transport'],
    smtpSecretArn,
    hmacSecretArn: value('HMAC_SECRET_ARN') || undefined,
    environment,
    allowedSourceArnPrefixes: prefixes.length > 0 ? prefixes : undefined,
  };
}
