import type { Logger } from 'pino';
import { CurrentCredentials, staticCredentials, type CredentialSource } from './database-credentials.ts';
import type { Database } from './database.ts';
import type { CredentialSettings, DatabaseSettings, PostgresSettings } from './database-settings.ts';
import { createPostgresDatabase } from './postgres-database.ts';
import { createSecretsManagerReader, secretCredentials, type SecretReader } from './secrets-manager-credentials.ts';

export interface OpenDatabaseOptions {
  /** Reads Secrets Manager secrets; the AWS SDK client by default. */
  secrets?: SecretReader;
}

export function credentialSource(settings: CredentialSettings, options: OpenDatabaseOptions = {}): CredentialSource {
  if (settings.kind === 'static') return staticCredentials({ user: settings.user, password: settings.password });
  return secretCredentials(options.secrets ?? createSecretsManagerReader(), settings.secretId);
}

/** The service's own connections, as its own (least-privilege) user. */
export async function openDatabase(
  settings: DatabaseSettings,
  logger: Logger,
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  if (settings.kind === 'postgres') {
    return createPostgresDatabase(
      settings,
      new CurrentCredentials(credentialSource(settings.credentials, options)),
      logger,
    );
  }
  // PGlite is loaded only when used, so processes talking to a real server never load the WebAssembly module.
  const { createPgliteDatabase } = await import('./pglite-database.ts');
  return createPgliteDatabase({ dataDir: settings.dataDir });
}

/** One connection as the schema owner, for the migrate command (closed once the schema is ready). */
export function openOwnerDatabase(
  settings: PostgresSettings,
  owner: CredentialSettings,
  logger: Logger,
  options: OpenDatabaseOptions = {},
): Database {
  return createPostgresDatabase(
    { ...settings, poolMax: 1 },
    new CurrentCredentials(credentialSource(owner, options)),
    logger,
  );
}
