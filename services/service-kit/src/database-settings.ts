import type { EnvReader } from './config.ts';

export type DatabaseSettings =
  | {
      kind: 'postgres';
      /** DATABASE_URL, or assembled by pg from the PG* variables when undefined. */
      connectionString?: string;
      host?: string;
      port?: number;
      user?: string;
      password?: string;
      database?: string;
      poolMax: number;
      connectTimeoutMs: number;
      queryTimeoutMs: number;
    }
  | { kind: 'pglite'; dataDir?: string };

/**
 * DATABASE_URL wins; otherwise PGHOST (+ PGPORT/PGUSER/PGPASSWORD/PGDATABASE, the shape ECS
 * injects from an RDS-managed secret); otherwise embedded PGlite.
 */
export function readDatabaseSettings(reader: EnvReader): DatabaseSettings {
  const url = reader.url('DATABASE_URL', ['postgres', 'postgresql']);
  const rawUrl = reader.optional('DATABASE_URL');
  const host = reader.optional('PGHOST');
  const poolMax = reader.integer('DB_POOL_MAX', { default: 10, min: 1, max: 200 });
  const connectTimeoutMs = reader.integer('DB_CONNECT_TIMEOUT_MS', { default: 2_000, min: 100, max: 60_000 });
  const queryTimeoutMs = reader.integer('DB_QUERY_TIMEOUT_MS', { default: 5_000, min: 100, max: 300_000 });
  const port = reader.integer('PGPORT', { default: 5432, min: 1, max: 65_535 });
  if (rawUrl !== undefined) {
    return { kind: 'postgres', connectionString: url?.toString() ?? rawUrl, poolMax, connectTimeoutMs, queryTimeoutMs };
  }
  if (host !== undefined) {
    return {
      kind: 'postgres',
      host,
      port,
      user: reader.optional('PGUSER'),
      password: reader.optional('PGPASSWORD'),
      database: reader.optional('PGDATABASE'),
      poolMax,
      connectTimeoutMs,
      queryTimeoutMs,
    };
  }
  return { kind: 'pglite', dataDir: reader.optional('PGLITE_DATA_DIR') };
}

/** For logs: where the database is, never the password. */
export function describeDatabase(settings: DatabaseSettings): string {
  if (settings.kind === 'pglite')
    return settings.dataDir ? `embedded PGlite (${settings.dataDir})` : 'embedded PGlite (in memory)';
  if (settings.connectionString) {
    const url = new URL(settings.connectionString);
    return `PostgreSQL ${url.hostname}:${url.port || '5432'}${url.pathname}`;
  }
  return `PostgreSQL ${settings.host ?? 'localhost'}:${settings.port ?? 5432}/${settings.database ?? ''}`;
}
