import { randomBytes } from 'node:crypto';
import { loadMigrateConfig, migrateService, type RunningService } from '@berth/service-kit';
import { createScratchDatabase, TEST_POSTGRES, type ScratchDatabase } from '@berth/service-kit/testing/backends';
import { capturingLogger } from '@berth/service-kit/testing/silent-logger';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productMigration, productService } from '../src/service.ts';

// In-process variant of database-credentials.test.ts on the machine's shared server (which trusts
// loopback, so passwords are not checked here): the migrate command's work, as the owner, migrates and
// provisions; the service, given no owner, then works as its own user with the product grants only.
describe('product-service started with an owner and a service user of its own', () => {
  const user = `berth_products_${randomBytes(3).toString('hex')}`;
  let database: ScratchDatabase;
  let running: RunningService | undefined;
  const { logger, lines } = capturingLogger();

  beforeAll(async () => {
    database = await createScratchDatabase('least_privilege');
    const DATABASE_URL = `postgres://${user}:service-password@${TEST_POSTGRES.host}:${TEST_POSTGRES.port}/${database.name}`;
    await migrateService(
      productMigration,
      loadMigrateConfig({ DATABASE_URL, DB_OWNER_USER: TEST_POSTGRES.user }),
      logger,
    );
    const config = productService.loadConfig({ HOST: '127.0.0.1', PORT: '0', DATABASE_URL });
    running = await productService.start(config, logger);
  });

  afterAll(async () => {
    await running?.close();
    await database?.drop();
    const admin = new pg.Client({ ...TEST_POSTGRES, database: 'postgres' });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${user}`);
    await admin.end();
  });

  it('serves as the provisioned user, a member of catalog_product_writer and nothing more', async () => {
    const [url] = running?.urls ?? [];
    const created = await fetch(`${url}/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Made by the service user', price: 2 }),
    });
    expect(created.status).toBe(201);
    expect(lines.some((line) => line.msg === 'service database user provisioned' && line.user === user)).toBe(true);

    const asService = new pg.Client({ ...TEST_POSTGRES, user, database: database.name });
    await asService.connect();
    try {
      const roles = await asService.query<{ rolname: string; rolsuper: boolean; rolcreaterole: boolean }>(
        'SELECT r.rolname, r.rolsuper, r.rolcreaterole FROM pg_roles r WHERE pg_has_role(current_user, r.oid, $1) ORDER BY 1',
        ['member'],
      );
      expect(roles.rows).toEqual([
        { rolname: user, rolsuper: false, rolcreaterole: false },
        { rolname: 'catalog_product_writer', rolsuper: false, rolcreaterole: false },
      ]);
      const refused = async (sql: string) =>
        asService.query(sql).then(
          () => 'allowed',
          (error: { code?: string }) => error.code,
        );
      expect(await refused('SELECT count(*) FROM products')).toBe('allowed');
      expect(await refused('UPDATE inventory SET quantity = 0')).toBe('42501');
      expect(await refused('ALTER TABLE products ADD COLUMN intruder int')).toBe('42501');
      expect(await refused('DELETE FROM schema_migrations')).toBe('42501');
    } finally {
      await asService.end();
    }
  });
});
