import type { Logger } from 'pino';
import type { Database } from './database.ts';
import { DatabaseUnavailableError, errorMessage } from './errors.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// Any constant works as long as every Berth service uses the same one: it names "the schema lock".
const MIGRATION_LOCK_KEY = 7_261_001;

/**
 * Applies, in version order, the migrations not yet recorded in `schema_migrations`. Everything
 * runs in one transaction holding a transaction-scoped advisory lock, so when several instances
 * start together exactly one applies the migrations and the others wait, then find nothing to do.
 * Returns the versions this call applied.
 */
export async function applyMigrations(
  db: Database,
  migrations: readonly Migration[],
  logger: Logger,
): Promise<number[]> {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  const versions = new Set<number>();
  for (const migration of ordered) {
    if (versions.has(migration.version))
      throw new Error(`Migration version ${migration.version} is defined twice; give each migration its own version.`);
    versions.add(migration.version);
  }
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const applied = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((row) => row.version),
    );
    const newlyApplied: number[] = [];
    for (const migration of ordered) {
      if (applied.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      newlyApplied.push(migration.version);
      logger.info({ version: migration.version, migration: migration.name }, 'migration applied');
    }
    return newlyApplied;
  });
}

const CONNECTION_HINT =
  'Check DATABASE_URL (or PGHOST/PGPORT/PGDATABASE with PGUSER or DB_SECRET_ARN; DB_OWNER_* for the owner), PGSSLMODE and that the database accepts connections.';

/**
 * Runs `operation`, waiting for the database while it is unreachable (containers often start before their
 * database is ready) up to `timeoutMs`; then gives up with an error that starts with `failure`.
 */
async function whenReachable<T>(
  operation: () => Promise<T>,
  failure: string,
  logger: Logger,
  timeoutMs: number,
  retryIntervalMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError) || Date.now() + retryIntervalMs > deadline) {
        throw new Error(`${failure}: ${errorMessage(error)}. ${CONNECTION_HINT}`, { cause: error });
      }
      logger.warn({ err: errorMessage(error) }, 'database not reachable yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, retryIntervalMs));
    }
  }
}

/** Applies migrations (applyMigrations), waiting for an unreachable database up to `timeoutMs`. */
export function applyMigrationsWhenReachable(
  db: Database,
  migrations: readonly Migration[],
  logger: Logger,
  timeoutMs: number,
  retryIntervalMs = 1_000,
): Promise<number[]> {
  return whenReachable(
    () => applyMigrations(db, migrations, logger),
    'Could not apply database migrations',
    logger,
    timeoutMs,
    retryIntervalMs,
  );
}

/**
 * What a service checks before it serves: the database is reachable as its own user (waiting up to `timeoutMs`)
 * and has been migrated. It never migrates: the migrate command does, as the owner, before the service starts.
 * (`schema_migrations` is the owner's, so its existence is what a service user can see; to_regclass needs no grant.)
 */
export async function requireMigratedSchema(
  db: Database,
  logger: Logger,
  timeoutMs: number,
  retryIntervalMs = 1_000,
): Promise<void> {
  const [row] = await whenReachable(
    () => db.query<{ migrated: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS migrated"),
    'Could not reach the database',
    logger,
    timeoutMs,
    retryIntervalMs,
  );
  if (row?.migrated !== true)
    throw new Error(
      "The database has no schema yet (no schema_migrations table): run the service's migrate command first (node service/dist/migrate.js with the owner's DB_OWNER_* settings; on ECS the task's <service>-migrate container does). The service itself never migrates.",
    );
}
