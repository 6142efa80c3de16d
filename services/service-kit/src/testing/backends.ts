import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { PostgresSettings } from '../database-settings.ts';

/** The machine's shared servers (see .ci/run); each test run works in its own database and key prefix. */
export const TEST_POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres' } as const;
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

function adminUrl(database: string): string {
  return `postgres://${TEST_POSTGRES.user}@${TEST_POSTGRES.host}:${TEST_POSTGRES.port}/${database}`;
}

export interface ScratchDatabase {
  name: string;
  url: string;
  /** The URL of the same database reached through another host:port (a proxy). */
  urlVia(port: number): string;
  /** Connection settings as the postgres superuser (plain TCP on loopback). */
  settings(overrides?: Partial<PostgresSettings>): PostgresSettings;
  drop(): Promise<void>;
}

export async function createScratchDatabase(label: string): Promise<ScratchDatabase> {
  const name = `berth_${label}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new pg.Client({ connectionString: adminUrl('postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: adminUrl(name),
    urlVia: (port) => `postgres://${TEST_POSTGRES.user}@127.0.0.1:${port}/${name}`,
    settings: (overrides = {}) => ({
      kind: 'postgres',
      host: TEST_POSTGRES.host,
      port: TEST_POSTGRES.port,
      database: name,
      credentials: { kind: 'static', user: TEST_POSTGRES.user, password: undefined },
      ssl: { mode: 'disable', rootCertPath: undefined },
      poolMax: 4,
      connectTimeoutMs: 2_000,
      queryTimeoutMs: 10_000,
      ...overrides,
    }),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl('postgres') });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export function scratchRedisPrefix(label: string): string {
  return `berth-test:${label}:${randomBytes(4).toString('hex')}:`;
}

/** Deletes every key under the prefix. */
export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const client = new Redis(TEST_REDIS_URL, { lazyConnect: true });
  await client.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
