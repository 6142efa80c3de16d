import { startFakeSecretsManager, type FakeSecretsManager } from '@berth/service-kit/testing/fake-secrets-manager';
import { startOwnPostgres, type OwnPostgres } from '@berth/service-kit/testing/own-postgres';
import { listeningUrl, spawnService, type SpawnedService } from '@berth/service-kit/testing/spawn-service';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The product-service task as it runs on AWS, TLS verify-full throughout: first its migrate command (the
// product-service-migrate container) with the owner as ECS injects it from the RDS-managed secret's JSON keys
// (DB_OWNER_USER/DB_OWNER_PASSWORD), which migrates and provisions the service's user and exits 0; then the service,
// given no owner setting at all, with its own least-privilege user's credentials read from Secrets Manager (a local
// stand-in reached through the real AWS SDK client).

const APP_SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:berth-test-product-db';
const APP_USER = 'berth_products';
const IDLE_CONNECTION_LOST = 'idle PostgreSQL connection failed; the pool will reconnect';

async function until<T>(attempt: () => Promise<T>, done: (value: T) => boolean, attempts = 100): Promise<T> {
  let last = await attempt();
  for (let i = 1; i < attempts && !done(last); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await attempt();
  }
  return last;
}

describe('product-service database credentials', () => {
  let server: OwnPostgres;
  let secrets: FakeSecretsManager;
  let admin: pg.Client;
  let migrate: SpawnedService;
  let migrateExitCode: number | null;
  let service: SpawnedService;
  let url: string;

  /**
   * Ends the service user's open sessions, so its next queries need new connections (and a login). Waits until the
   * pool has noticed every termination (it logs each idle client it drops): a fixed pause is too short on a busy host.
   */
  async function dropServiceConnections(): Promise<void> {
    const dropped = (): number => service.lines.filter((line) => line.msg === IDLE_CONNECTION_LOST).length;
    const before = dropped();
    const terminated = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [
      APP_USER,
    ]);
    const noticed = await until(
      async () => dropped(),
      (count) => count >= before + (terminated.rowCount ?? 0),
    );
    expect(noticed, 'the pool noticed every terminated session').toBe(before + (terminated.rowCount ?? 0));
  }

  async function status(path: string): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
    const response = await fetch(`${url}${path}`);
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown>, text };
  }

  beforeAll(async () => {
    server = await startOwnPostgres();
    admin = await server.admin();
    // Like the RDS master user: not a superuser, but may create roles and owns the database.
    await admin.query("CREATE ROLE berth_owner LOGIN CREATEROLE PASSWORD 'owner-password-1'");
    await admin.query('CREATE DATABASE catalog OWNER berth_owner');
    secrets = await startFakeSecretsManager();
    secrets.put(APP_SECRET, { username: APP_USER, password: 'app-password-1' });
    // What the task definition gives both containers: the database, TLS, and the service user's secret.
    const database = {
      ...secrets.env,
      PGHOST: 'localhost',
      PGPORT: String(server.port),
      PGDATABASE: 'catalog',
      PGSSLMODE: 'verify-full',
      PGSSLROOTCERT: server.caPath,
      DB_SECRET_ARN: APP_SECRET,
    };
    migrate = spawnService('services/product-service/src/migrate.ts', {
      ...database,
      DB_OWNER_USER: 'berth_owner',
      DB_OWNER_PASSWORD: 'owner-password-1',
    });
    migrateExitCode = await migrate.exited;
    service = spawnService('services/product-service/src/server.ts', {
      ...database,
      HOST: '127.0.0.1',
      PORT: '0',
      DB_POOL_MAX: '2',
    });
    url = await listeningUrl(service);
  });

  afterAll(async () => {
    service?.child.kill('SIGTERM');
    await service?.exited;
    await admin?.end();
    await secrets?.close();
    await server?.stop();
  });

  it('its migrate command migrates as the owner and provisions the user; the service then serves as that user, which holds only the product grants', async () => {
    expect(migrateExitCode, JSON.stringify(migrate.lines)).toBe(0);
    expect(migrate.lines.filter((line) => line.msg === 'migration applied').length).toBeGreaterThan(0);
    expect(
      migrate.lines.some((line) => line.msg === 'service database user provisioned' && line.user === APP_USER),
    ).toBe(true);
    expect(migrate.lines.some((line) => line.msg === 'database ready')).toBe(true);
    expect(service.lines.some((line) => line.msg === 'migration applied')).toBe(false);
    expect(((await status('/products')).body as unknown as unknown[]).length).toBe(5);
    const sessions = await admin.query<{ usename: string; ssl: boolean }>(
      "SELECT usename, ssl FROM pg_stat_activity JOIN pg_stat_ssl USING (pid) WHERE datname = 'catalog'",
    );
    // The owner's connection is closed once the schema is ready; the service's own are TLS.
    expect(sessions.rows.length).toBeGreaterThan(0);
    expect(sessions.rows.every((row) => row.usename === APP_USER && row.ssl)).toBe(true);
    const inCatalog = await server.admin('catalog');
    const owners = await inCatalog.query(
      "SELECT DISTINCT tableowner FROM pg_tables WHERE tablename IN ('products', 'inventory', 'schema_migrations')",
    );
    await inCatalog.end();
    expect(owners.rows).toEqual([{ tableowner: 'berth_owner' }]);

    const asService = new pg.Client({
      host: 'localhost',
      port: server.port,
      database: 'catalog',
      user: APP_USER,
      password: 'app-password-1',
      ssl: { ca: readFileSync(server.caPath, 'utf8') },
    });
    await asService.connect();
    try {
      const denied = async (sql: string): Promise<string | undefined> =>
        asService.query(sql).then(
          () => undefined,
          (error: { code?: string }) => error.code,
        );
      expect((await asService.query('SELECT count(*)::int AS n FROM products')).rows).toEqual([{ n: 5 }]);
      expect(await denied('SELECT * FROM inventory')).toBe('42501');
      expect(await denied('SELECT * FROM schema_migrations')).toBe('42501');
      expect(await denied('DROP TABLE products')).toBe('42501');
      expect(await denied('TRUNCATE products')).toBe('42501');
      expect(await denied('CREATE TABLE intruder (id int)')).toBe('42501');
      expect(await denied('CREATE ROLE intruder')).toBe('42501');
    } finally {
      await asService.end();
    }
  });

  it('survives a password rotation: the refused login re-reads the secret and reconnects', async () => {
    const readsBefore = secrets.reads.get(APP_SECRET) ?? 0;
    await admin.query(`ALTER ROLE ${APP_USER} PASSWORD 'app-password-2'`);
    secrets.put(APP_SECRET, { username: APP_USER, password: 'app-password-2' });
    await dropServiceConnections();

    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      statuses.push((await status(`/products/${(i % 5) + 1}`)).status);
      const created = await fetch(`${url}/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `After rotation ${i}`, price: 1 }),
      });
      statuses.push(created.status);
    }
    expect(
      statuses.filter((code) => code >= 300),
      JSON.stringify(service.lines.filter((line) => line.level !== 'info')),
    ).toEqual([]);
    expect((await status('/ready')).status).toBe(200);
    expect(secrets.reads.get(APP_SECRET)).toBeGreaterThan(readsBefore);
    // Log lines reach stdout in batches (within 200 ms): wait for the line rather than expect it at once.
    const refusalLogged = await until(
      async () =>
        service.lines.some(
          (line) => line.msg === 'database refused the credentials; reading them again (rotated password?)',
        ),
      (seen) => seen,
    );
    expect(refusalLogged).toBe(true);
  });

  it('while its credentials are refused: 503 without internal details, /ready fails, /health stays up; then recovers', async () => {
    await admin.query(`ALTER ROLE ${APP_USER} PASSWORD 'app-password-3'`);
    await dropServiceConnections();

    const refused = await status('/products/3');
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({
      detail: 'The database is unavailable right now; the service reconnects by itself. Retry in a few seconds.',
    });
    for (const internal of ['localhost', String(server.port), APP_USER, 'password', 'catalog']) {
      expect(refused.text).not.toContain(internal);
    }
    // /ready answers are up to one readiness interval old: wait for the probe that saw the refusal.
    const ready = await until(
      () => status('/ready'),
      (answer) => answer.status !== 200,
    );
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'not_ready', checks: { database: 'down', cache: 'up' } });
    expect((await status('/health')).status).toBe(200);

    // The rotation finishes: the secret gets the new password, and the service picks it up by itself.
    secrets.put(APP_SECRET, { username: APP_USER, password: 'app-password-3' });
    const recovered = await until(
      () => status('/products/3'),
      (answer) => answer.status === 200,
    );
    expect(recovered.status).toBe(200);
    const readyAgain = await until(
      () => status('/ready'),
      (answer) => answer.status === 200,
    );
    expect(readyAgain.status).toBe(200);
  });
});
