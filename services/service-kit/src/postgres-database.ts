import pg from 'pg';
import type { Logger } from 'pino';
import type { CurrentCredentials, DatabaseCredentials } from './database-credentials.ts';
import { sqlState, type Database, type Queryable } from './database.ts';
import type { PostgresSettings } from './database-settings.ts';
import { tlsOptions } from './database-tls.ts';
import { DatabaseUnavailableError, errorMessage } from './errors.ts';

/** SQLSTATE invalid_password: the server refused the user name or password. */
const PG_INVALID_PASSWORD = '28P01';

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
  if (sqlState(error) === PG_INVALID_PASSWORD)
    return new DatabaseUnavailableError(`authentication failed: ${errorMessage(error)}`, { cause: error });
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

/**
 * A pg pool whose connections read their credentials when they are made, from `credentials`
 * (a fixed pair or a Secrets Manager secret). When the server refuses them (SQLSTATE 28P01, after
 * a rotation) the credentials are read again and the work is retried once on a new connection;
 * connections already open keep working meanwhile. A new user name (a rotation that alternates
 * users) gets a new pool; the old one is drained and closed.
 */
export function createPostgresDatabase(
  settings: PostgresSettings,
  credentials: CurrentCredentials,
  logger: Logger,
): Database {
  const ssl = tlsOptions(settings);
  let pool: { user: string; pool: pg.Pool } | undefined;
  let closed = false;

  function newPool(user: string): pg.Pool {
    const created = new pg.Pool({
      host: settings.host,
      port: settings.port,
      database: settings.database,
      user,
      // Called by pg for every new connection: a rotated password is picked up without a restart.
      password: async () => (await credentials.get()).password ?? '',
      ssl,
      max: settings.poolMax,
      connectionTimeoutMillis: settings.connectTimeoutMs,
      query_timeout: settings.queryTimeoutMs,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    created.on('error', (error) =>
      logger.warn({ err: errorMessage(error) }, 'idle PostgreSQL connection failed; the pool will reconnect'),
    );
    return created;
  }

  async function currentPool(): Promise<pg.Pool> {
    if (closed) throw new DatabaseUnavailableError('the connection pool is closed');
    let current: DatabaseCredentials;
    try {
      current = await credentials.get();
    } catch (error) {
      throw translate(error);
    }
    if (pool?.user === current.user) return pool.pool;
    if (closed) throw new DatabaseUnavailableError('the connection pool is closed');
    const previous = pool;
    pool = { user: current.user, pool: newPool(current.user) };
    if (previous !== undefined) {
      logger.info({ user: current.user }, 'database user changed; new connections use it');
      void previous.pool.end().catch(() => undefined);
    }
    return pool.pool;
  }

  /** Runs `work` on the pool; after an authentication failure, once more with fresh credentials. */
  async function withPool<T>(work: (target: pg.Pool) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const target = await currentPool();
      try {
        return await work(target);
      } catch (error) {
        if (sqlState(error) === PG_INVALID_PASSWORD && attempt === 1) {
          logger.warn(
            { credentials: credentials.description },
            'database refused the credentials; reading them again (rotated password?)',
          );
          credentials.invalidate();
          continue;
        }
        throw translate(error);
      }
    }
  }

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
      const result = await withPool((target) =>
        target.query({ name: statementName(text), text, values: params as unknown[] | undefined }),
      );
      return result.rows as Row[];
    },
    async exec(text: string): Promise<void> {
      await withPool((target) => target.query(text));
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await withPool((target) => target.connect());
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
        await withPool((target) => target.query('SELECT 1'));
      } catch (error) {
        throw error instanceof DatabaseUnavailableError ? error : new DatabaseUnavailableError(errorMessage(error));
      }
    },
    async close(): Promise<void> {
      closed = true;
      const current = pool;
      pool = undefined;
      await current?.pool.end();
    },
  };
}
