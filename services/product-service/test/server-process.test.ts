import { createScratchDatabase, type ScratchDatabase } from '@berth/service-kit/testing/backends';
import { listeningUrl, spawnService } from '@berth/service-kit/testing/spawn-service';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('product-service process', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await createScratchDatabase('product_process');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('starts after its migrate command, then on SIGTERM lets a request blocked in PostgreSQL finish before exiting 0', async () => {
    const migrate = spawnService('services/product-service/src/migrate.ts', { DATABASE_URL: database.url });
    expect(await migrate.exited, JSON.stringify(migrate.lines)).toBe(0);
    const service = spawnService('services/product-service/src/server.ts', {
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: database.url,
    });
    const url = await listeningUrl(service);
    expect((await fetch(`${url}/products/1`)).status).toBe(200);

    // Hold product 1's row lock so the update below is in flight inside PostgreSQL when SIGTERM arrives.
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT id FROM products WHERE id = 1 FOR UPDATE');
    const update = fetch(`${url}/products/1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Updated while stopping' }),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as { name: string } }));
    // A separate connection: inside a transaction pg_stat_activity is a snapshot that never changes.
    const observer = new pg.Client({ connectionString: database.url });
    await observer.connect();
    for (let waiting = 0; waiting === 0;) {
      const rows = await observer.query<{ count: string }>(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE 'UPDATE products%'",
        [database.name],
      );
      waiting = Number(rows.rows[0]?.count ?? 0);
    }
    await observer.end();

    service.child.kill('SIGTERM');
    await service.waitForLine((line) => line.msg === 'shutting down: finishing in-flight requests');
    await locker.query('COMMIT');
    await locker.end();

    expect(await update).toEqual({ status: 200, body: expect.objectContaining({ name: 'Updated while stopping' }) });
    expect(await service.exited).toBe(0);
  });

  it('exits 1 naming the variable when DATABASE_URL is not a PostgreSQL URL', async () => {
    const service = spawnService('services/product-service/src/server.ts', {
      DATABASE_URL: 'mysql://db/x',
      DB_POOL_MAX: '0',
    });
    expect(await service.exited).toBe(1);
    expect(service.lines.find((line) => line.level === 'fatal')?.problems).toEqual([
      'DATABASE_URL uses scheme "mysql:" (expected postgres: or postgresql:).',
      'DB_POOL_MAX=0 is out of range (expected 1..200).',
    ]);
  });
});
