/** The Lambda's settings, read from the environment variables the Terraform module sets. */
export interface NotifierConfig {
  historyTableName: string;
  senderEmail: string;
  recipientEmails: string[];
  transport: 'ses' | 'smtp';
  smtpSecretArn?: string;
  hmacSecretArn?: string;
  environment: string;
}

/** The deployment is misconfigured. The message names the variables; it is logged, never sent to callers. */
export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`deploy-notifier configuration is invalid: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

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
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    historyTableName,
    senderEmail,
    recipientEmails,
    transport: transport as NotifierConfig['transport'],
    smtpSecretArn,
    hmacSecretArn: value('HMAC_SECRET_ARN') || undefined,
    environment,
  };
}
