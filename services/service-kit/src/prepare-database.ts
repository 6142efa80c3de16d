import type { Logger } from 'pino';
import { CurrentCredentials } from './database-credentials.ts';
import type { Database } from './database.ts';
import type { DatabaseSettings } from './database-settings.ts';
import { provisionServiceUser } from './database-user.ts';
import { errorMessage } from './errors.ts';
import { applyMigrationsWhenReachable, type Migration } from './migrations.ts';
import { credentialSource, openOwnerDatabase, type OpenDatabaseOptions } from './open-database.ts';

export interface DatabasePreparation {
  settings: DatabaseSettings;
  /** The service's own connections: used for migrations when no owner is configured. */
  db: Database;
  migrations: readonly Migration[];
  /** The role (created by the migrations) whose grants the service's user receives. */
  accessRole: string;
  /** How long to wait for an unreachable database. */
  timeoutMs: number;
  logger: Logger;
  options?: OpenDatabaseOptions;
}

/**
 * Brings the database up to date before the service answers. With an owner configured, the owner
 * applies the migrations and provisions the service's user (login, password from its secret,
 * membership of `accessRole`), then its connection is closed: the service itself never holds
 * more than its user's grants. Without one, the service's own user migrates (local development).
 */
export async function prepareDatabase(preparation: DatabasePreparation): Promise<void> {
  const { settings, logger } = preparation;
  const owner = settings.kind === 'postgres' ? openOwnerDatabase(settings, logger, preparation.options) : undefined;
  if (settings.kind !== 'postgres' || owner === undefined) {
    await applyMigrationsWhenReachable(preparation.db, preparation.migrations, logger, preparation.timeoutMs);
    return;
  }
  try {
    await applyMigrationsWhenReachable(owner, preparation.migrations, logger, preparation.timeoutMs);
    const credentials = new CurrentCredentials(credentialSource(settings.credentials, preparation.options));
    try {
      await provisionServiceUser(owner, await credentials.get(), preparation.accessRole, logger);
    } catch (error) {
      throw new Error(
        `Could not provision the service's database user: ${errorMessage(error)}. Check that the owner (DB_OWNER_*) may create roles and that DB_SECRET_ARN holds the service user's credentials.`,
        { cause: error },
      );
    }
  } finally {
    await owner.close();
  }
}
