import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, applyMigrationsWhenReachable, openDatabase, type Database } from '@berth/service-kit';
import { createScratchDatabase, type ScratchDatabase } from '@berth/service-kit/testing/backends';
import { silentLogger } from '@berth/service-kit/testing/silent-logger';
import { CATALOG_MIGRATIONS } from '../src/catalog-migrations.ts';

describe('applyMigrations on PostgreSQL', () => {
  let scratch: ScratchDatabase;
  const pools: Database[] = [];
  beforeAll(async () => {
    scratch = await createScratchDatabase('migrations');
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.close()));
    await scratch?.drop();
  });

  it('applies each migration exactly once when four instances start together', async () => {
    for (let i = 0; i < 4; i += 1) pools.push(await openDatabase(scratch.settings({ poolMax: 2 }), silentLogger()));
    const applied = await Promise.all(pools.map((pool) => applyMigrations(pool, CATALOG_MIGRATIONS, silentLogger())));
    expect(applied.flat().sort()).toEqual([1, 2, 3]);
    expect(applied.filter((versions) => versions.length > 0)).toHaveLength(1);
    const [first] = pools;
    if (!first) throw new Error('no pool');
    expect(await first.query('SELECT count(*)::int AS n FROM products')).toEqual([{ n: 5 }]);
    expect(await first.query('SELECT version, name FROM schema_migrations ORDER BY version')).toEqual(
      CATALOG_MIGRATIONS.map((migration) => ({ version: migration.version, name: migration.name })),
    );
    expect(await applyMigrations(first, CATALOG_MIGRATIONS, silentLogger())).toEqual([]);
  });

  it('keeps new products numbered after the seed rows', async () => {
    const [first] = pools;
    if (!first) throw new Error('no pool');
    const [created] = await first.query<{ id: number }>(
      "INSERT INTO products (name, price) VALUES ('Sixth', 1) RETURNING id",
    );
    expect(created?.id).toBe(6);
  });

  it('rejects a list with a duplicated version before touching the database', async () => {
    const [first] = pools;
    if (!first) throw new Error('no pool');
    const duplicated = [...CATALOG_MIGRATIONS, { version: 2, name: 'again', sql: 'SELECT 1' }];
    await expect(applyMigrations(first, duplicated, silentLogger())).rejects.toThrow(
      'Migration version 2 is defined twice',
    );
  });

  it('gives up with an actionable error when the database stays unreachable', async () => {
    const unreachable = await openDatabase(scratch.settings({ port: 1, connectTimeoutMs: 200 }), silentLogger());
    pools.push(unreachable);
    await expect(applyMigrationsWhenReachable(unreachable, CATALOG_MIGRATIONS, silentLogger(), 0, 10)).rejects.toThrow(
      /^Could not apply database migrations: Database unavailable: .*Check DATABASE_URL/,
    );
  });
});
