import { EnvReader, LOG_LEVELS, type Env, type LogLevel } from './config.ts';
import type { Database } from './database.ts';
import {
  describeDatabase,
  readDatabaseOwner,
  readDatabaseSettings,
  type CredentialSettings,
  type DatabaseSettings,
} from './database-settings.ts';
import type { Logger } from './logger.ts';
import { migrateDatabase, type ServiceSchema } from './migrate-database.ts';
import type { OpenDatabaseOptions } from './open-database.ts';
import { nodeProcess, reportStartupFailure, type ProcessHost } from './run-service.ts';

// A data service's migrate command (src/migrate.ts, built to dist/migrate.js): the one process that holds the
// database owner's credentials. It migrates, provisions the service's user and exits before the service starts (on
// ECS the task's <service>-migrate container, on which the service's container depends with condition SUCCESS).

export interface MigrateConfig {
  logLevel: LogLevel;
  /** The database and the service's own user (whose login the owner provisions). */
  database: DatabaseSettings;
  owner: CredentialSettings | undefined;
  /** How long to wait for an unreachable database before giving up. */
  startupTimeoutMs: number;
}

/** The migrate command's variables: the service's database settings, DB_OWNER_*, LOG_LEVEL, DB_STARTUP_TIMEOUT_MS. */
export function loadMigrateConfig(env: Env): MigrateConfig {
  const reader = new EnvReader(env);
  const database = readDatabaseSettings(reader);
  const owner = readDatabaseOwner(reader);
  if (owner !== undefined && database.kind !== 'postgres')
    reader.problem('DB_OWNER_* need a database: set PGHOST (and PGDATABASE) or DATABASE_URL.');
  const config: MigrateConfig = {
    logLevel: reader.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    database,
    owner,
    startupTimeoutMs: reader.integer('DB_STARTUP_TIMEOUT_MS', { default: 30_000, min: 0, max: 600_000 }),
  };
  reader.finish();
  return config;
}

/** What a service's migrate command prepares: the service's schema, named for the logs. */
export interface ServiceMigration {
  /** Names the process in logs: `<service>-migrate`, as its container. */
  name: string;
  schema: ServiceSchema;
}

/** The migrate command's work, also what `npm start` runs for each service before it builds the apps. */
export async function migrateService(
  migration: ServiceMigration,
  config: MigrateConfig,
  logger: Logger,
  using: { db?: Database; options?: OpenDatabaseOptions } = {},
): Promise<void> {
  logger.info(
    { database: describeDatabase(config.database), asOwner: config.owner !== undefined },
    'migrating the database',
  );
  await migrateDatabase({
    schema: migration.schema,
    settings: config.database,
    owner: config.owner,
    timeoutMs: config.startupTimeoutMs,
    logger,
    ...using,
  });
  logger.info('database ready');
}

/** The migrate command's process: configuration → logger → migrate → exit 0; any failure exits 1 with one JSON line. */
export async function runMigrate(
  migration: ServiceMigration,
  host: ProcessHost = nodeProcess,
  options: OpenDatabaseOptions = {},
): Promise<void> {
  let logger: Logger;
  try {
    const config = loadMigrateConfig(host.env);
    logger = host.createLogger(migration.name, config.logLevel);
    await migrateService(migration, config, logger, { options });
  } catch (error) {
    reportStartupFailure(migration.name, host, error);
    host.exit(1);
    return;
  }
  logger.flush(() => host.exit(0));
}
