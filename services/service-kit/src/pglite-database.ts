import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.ts';

function wrap(target: Pick<PGlite, 'query' | 'exec'>): Queryable {
  return {
    async query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]> {
      const result = await target.query<Row>(text, params as unknown[] | undefined);
      return result.rows;
    },
    async exec(text: string): Promise<void> {
      await target.exec(text);
    },
  };
}

/**
 * Real PostgreSQL compiled to WebAssembly, in this process: what `npm start` uses when no
 * DATABASE_URL is given. PGlite runs one statement at a time, so sharing one instance between
 * services in the same process is safe; transactions hold its lock until they finish.
 */
export async function createPgliteDatabase(options: { dataDir?: string } = {}): Promise<Database> {
  // Like pg, PGlite returns timestamptz as Date; numeric comes back as text, so queries cast it.
  const pglite = await PGlite.create(options.dataDir);
  const base = wrap(pglite);
  return {
    kind: 'pglite',
    ...base,
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      return pglite.transaction((tx) => work(wrap(tx)));
    },
    async ping(): Promise<void> {
      await pglite.query('SELECT 1');
    },
    async close(): Promise<void> {
      if (!pglite.closed) await pglite.close();
    },
  };
}
