import type { Logger } from 'pino';
import { CurrentCredentials } from './database-credentials.ts';
import type { Database } from './database.ts';
import type { CredentialSettings, DatabaseSettings } from './database-settings.ts';
import { provisionServiceUser } from './database-user.ts';
import { errorMessage } from './errors.ts';
import { applyMigrationsWhenReachable, type Migration } from './migrations.ts';
import { credentialSource, openDatabase, openOwnerDatabase, type OpenDatabaseOptions } from './open-database.ts';

/** A data service's schema: its migrations and the access role (created by them) its user is granted. */
export interface ServiceSchema {
  migrations: readonly Migration[];
  /** The role whose grants the service's user receives: exactly what the service needs. */
  accessRole: string;
}

export interface DatabaseMigration {
  schema: ServiceSchema;
  /** The database and the service's own user. */
  settings: DatabaseSettings;
  /** The schema owner; undefined: the service's own user migrates (one user owns everything, local runs). */
  owner: CredentialSettings | undefined;
  /** How long to wait for an unreachable database. */
  timeoutMs: number;
  logger: Logger;
  /** The database to migrate when it is already open (the launcher's shared embedded PGlite); kept open. */
  db?: Database;
  options?: OpenDatabaseOptions;
}

/**
 * Brings the database up to date for a service, before the service starts. With an owner, the owner applies the
 * migrations and provisions the service's user (login, password from its secret, membership of the access role);
 * then the owner's connection is closed. Without one, the service's own user migrates. What this opens it closes.
 */
export async function migrateDatabase(migration: DatabaseMigration): Promise<void> {
  const { schema, settings, owner, logger, timeoutMs } = migration;
  if (settings.kind !== 'postgres' || owner === undefined) {
    const db = migration.db ?? (await openDatabase(settings, logger, migration.options));
    try {
      await applyMigrationsWhenReachable(db, schema.migrations, logger, timeoutMs);
    } finally {
      if (migration.db === undefined) await db.close();
    }
    return;
  }
  const ownerDb = openOwnerDatabase(settings, owner, logger, migration.options);
  try {
    await applyMigrationsWhenReachable(ownerDb, schema.migrations, logger, timeoutMs);
    const credentials = new CurrentCredentials(credentialSource(settings.credentials, migration.options));
    try {
      await provisionServiceUser(ownerDb, await credentials.get(), schema.accessRole, logger);
    } catch (error) {
      throw new Error(
        `Could not provision the service's database user: ${errorMessage(error)}. Check that the owner (DB_OWNER_*) may create roles and that DB_SECRET_ARN holds the service user's credentials.`,
        { cause: error },
      );
    }
  } finally {
    await ownerDb.close();
  }
}
