import pg from 'pg';
import type { Logger } from 'pino';
import type { Database, Queryable } from './database.ts';
import type { DatabaseSettings } from './database-settings.ts';
import { DatabaseUnavailableError, errorMessage } from './errors.ts';

// Connection-level failures (as opposed to a bad query): network errors, server shutting down or
// starting, too many connections, and pg's own connect/read timeouts.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connection error|Client was closed|not queryable/i;

export function isConnectionFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionFailure);
  return error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message);
}

function translate(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError) return error;
  if (isConnectionFailure(error))
    return new DatabaseUnavailableError(errorMessage(error) || 'connection failed', { cause: error });
  return error;
}

function wrapClient(client: pg.PoolClient): Queryable {
  return {
    async query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]> {
      const result = await client.query(text, params as unknown[] | undefined);
      return result.rows as Row[];
    },
    async exec(text: string): Promise<void> {
      await client.query(text);
    },
  };
}

export function createPostgresDatabase(
  settings: Extract<DatabaseSettings, { kind: 'postgres' }>,
  logger: Logger,
): Database {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    database: settings.database,
    max: settings.poolMax,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    query_timeout: settings.queryTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (error) =>
    logger.warn({ err: error }, 'idle PostgreSQL connection failed; the pool will reconnect'),
  );

  // Every statement the services run is a constant (or one of a few generated variants), so each
  // is prepared once per connection and then only bound and executed: PostgreSQL skips parsing
  // and planning it again on every request. Names are per text, so they never collide.
  const statementNames = new Map<string, string>();
  function statementName(text: string): string {
    let name = statementNames.get(text);
    if (name === undefined) {
      name = `berth_${statementNames.size + 1}`;
      statementNames.set(text, name);
    }
    return name;
  }

  return {
    kind: 'postgres',
    async query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]> {
      try {
        const result = await pool.query({
          name: statementName(text),
          text,
          values: params as unknown[] | undefined,
        });
        return result.rows as Row[];
      } catch (error) {
        throw translate(error);
      }
    },
    async exec(text: string): Promise<void> {
      try {
        await pool.query(text);
      } catch (error) {
        throw translate(error);
      }
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw translate(error);
      }
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const result = await work(wrapClient(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
        throw translate(error);
      } finally {
        // A client whose rollback failed is in an unknown state: destroy it rather than reuse it.
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    async ping(): Promise<void> {
      try {
        await pool.query('SELECT 1');
      } catch (error) {
        const translated = translate(error);
        throw translated instanceof DatabaseUnavailableError
          ? translated
          : new DatabaseUnavailableError(errorMessage(error));
      }
    },
    async close(): Promise<void> {
      await pool.end();
    },
  };
}
