import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { ConfigError } from '../src/config.ts';
import { createDataServiceApp, dataService, loadDataServiceConfig } from '../src/data-service.ts';
import { createScratchDatabase, type ScratchDatabase } from '../src/testing/backends.ts';
import { silentLogger } from '../src/testing/silent-logger.ts';

// The service process never holds the database owner's credentials and never migrates a PostgreSQL server: the
// migrate command (the task's <service>-migrate container) does, before the service starts.

const OWNER_SETTINGS = {
  DB_OWNER_USER: 'postgres',
  DB_OWNER_PASSWORD: 'owner-password',
  DB_OWNER_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!db-1',
};

const notesService = dataService({
  name: 'notes-service',
  loadConfig: (env) => loadDataServiceConfig(env, 0),
  database: {
    migrations: [{ version: 1, name: 'notes', sql: 'CREATE TABLE notes (id serial PRIMARY KEY, text text NOT NULL)' }],
    accessRole: 'notes_writer',
  },
  buildApp: (deps) => createDataServiceApp('notes-service', deps).app,
});

describe('a data service given the owner', () => {
  it.each(Object.entries(OWNER_SETTINGS))('refuses %s, naming the migrate command that takes it', (name, value) => {
    const load = () => loadDataServiceConfig({ DATABASE_URL: 'postgres://notes@127.0.0.1/notes', [name]: value }, 0);
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        `${name} is set, but the service never holds the database owner's credentials: give them to its migrate command (node service/dist/migrate.js; on ECS the task's <service>-migrate container) and remove them from the service's environment.`,
      ]);
    }
  });
});

describe('a data service started on a database nobody has migrated', () => {
  let database: ScratchDatabase;

  beforeAll(async () => {
    database = await createScratchDatabase('unmigrated');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('refuses to migrate it: start-up fails naming the migrate command, and the database stays empty', async () => {
    const config = notesService.loadConfig({ HOST: '127.0.0.1', PORT: '0', DATABASE_URL: database.url });
    await expect(notesService.start(config, silentLogger())).rejects.toThrow(
      /has no schema yet .*run the service's migrate command first/,
    );
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const tables = await client.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
      );
      expect(tables.rows).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
