import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readConfig } from './config';
import { DynamoDbDeploymentHistory } from './deployment-history';
import { createHandler, type NotifierDependencies } from './handler';
import { SecretCache } from './secret-cache';
import { SesMailer } from './ses-mailer';
import { parseSmtpSettings, SmtpMailer } from './smtp-mailer';
import type { Mailer } from './mailer';

const log: NotifierDependencies['log'] = (level, message, fields = {}) => {
  console[level === 'info' ? 'log' : level](JSON.stringify({ level, message, ...fields }));
};

let built: Promise<NotifierDependencies> | undefined;

/** Clients are built on the first invocation and kept while the container is warm. */
function dependencies(): Promise<NotifierDependencies> {
  built ??= buildDependencies(process.env).catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}

export async function buildDependencies(env: NodeJS.ProcessEnv): Promise<NotifierDependencies> {
  const config = readConfig(env);
  const secrets = new SecretCache(new SecretsManagerClient({}));
  const addresses = { from: config.senderEmail, to: config.recipientEmails };
  let mailer: Mailer;
  if (config.transport === 'smtp') {
    const secretArn = config.smtpSecretArn!;
    // Read per email through the cache, so a rotated password is picked up by a warm container.
    mailer = {
      send: async (message) => new SmtpMailer(parseSmtpSettings(await secrets.get(secretArn)), addresses).send(message),
    };
  } else {
    mailer = new SesMailer(new SESv2Client({}), addresses);
  }
  return {
    config,
    history: new DynamoDbDeploymentHistory(
      DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
      config.historyTableName,
    ),
    mailer,
    hmacKey: async () => (config.hmacSecretArn ? secrets.get(config.hmacSecretArn) : undefined),
    now: () => new Date(),
    log,
  };
}

export const handler = createHandler(dependencies, log);
