import { describe, expect, it } from 'vitest';
import { readCacheSettings } from '../src/cache-settings.ts';
import { ConfigError, EnvReader, readProcessSettings, type Env } from '../src/config.ts';
import { describeDatabase, readDatabaseSettings } from '../src/database-settings.ts';
import { loadMigrateConfig } from '../src/migrate-command.ts';

function problemsOf(read: (reader: EnvReader) => unknown, env: Record<string, string>): readonly string[] {
  const reader = new EnvReader(env);
  read(reader);
  try {
    reader.finish();
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

describe('configuration from the environment', () => {
  it('uses the defaults when nothing is set', () => {
    const reader = new EnvReader({});
    expect(readProcessSettings(reader, 8001)).toEqual({
      host: '0.0.0.0',
      port: 8001,
      logLevel: 'info',
      shutdownTimeoutMs: 20_000,
    });
    expect(readDatabaseSettings(reader)).toEqual({ kind: 'pglite', dataDir: undefined });
    expect(readCacheSettings(reader)).toEqual({ kind: 'memory', keyPrefix: 'berth:' });
  });

  it('prefers DATABASE_URL, then the PG* variables, verifying TLS for any host but this machine', () => {
    const fromUrl = readDatabaseSettings(
      new EnvReader({ DATABASE_URL: 'postgresql://u:s%40cret@db.internal:5433/shop', PGHOST: 'ignored' }),
    );
    expect(fromUrl).toMatchObject({
      kind: 'postgres',
      host: 'db.internal',
      port: 5433,
      database: 'shop',
      credentials: { kind: 'static', user: 'u', password: 's@cret' },
      ssl: { mode: 'verify-full', rootCertPath: undefined },
    });
    expect(describeDatabase(fromUrl)).toBe('PostgreSQL db.internal:5433/shop (user u, TLS verify-full)');
    const fromParts = readDatabaseSettings(
      new EnvReader({ PGHOST: '127.0.0.1', PGPORT: '6432', PGUSER: 'app', PGPASSWORD: 'p', PGDATABASE: 'shop' }),
    );
    expect(fromParts).toMatchObject({
      kind: 'postgres',
      host: '127.0.0.1',
      port: 6432,
      database: 'shop',
      credentials: { kind: 'static', user: 'app', password: 'p' },
      ssl: { mode: 'disable' },
    });
    expect(describeDatabase(fromParts)).not.toContain('p@');
  });

  it("reads the service user from DB_SECRET_ARN, as on AWS; the owner is the migrate command's alone", () => {
    const env = {
      PGHOST: 'berth-prod.abc.eu-west-1.rds.amazonaws.com',
      PGDATABASE: 'microservices_db',
      DB_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:berth-prod-product-db',
      PGSSLROOTCERT: '/etc/ssl/custom-ca.pem',
    };
    const settings = readDatabaseSettings(new EnvReader(env));
    expect(settings).toMatchObject({
      kind: 'postgres',
      port: 5432,
      credentials: {
        kind: 'secrets-manager',
        secretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:berth-prod-product-db',
      },
      ssl: { mode: 'verify-full', rootCertPath: '/etc/ssl/custom-ca.pem' },
    });
    expect(settings).not.toHaveProperty('owner');
    // What ECS injects into the migrate container from the RDS-managed secret's JSON keys.
    expect(
      loadMigrateConfig({ ...env, DB_OWNER_USER: 'berth_admin', DB_OWNER_PASSWORD: 'from-the-master-secret' }),
    ).toMatchObject({
      database: settings,
      owner: { kind: 'static', user: 'berth_admin', password: 'from-the-master-secret' },
      startupTimeoutMs: 30_000,
    });
    expect(
      loadMigrateConfig({ ...env, DB_OWNER_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:rds!db-1' }),
    ).toMatchObject({
      owner: { kind: 'secrets-manager', secretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:rds!db-1' },
    });
    expect(loadMigrateConfig(env).owner).toBeUndefined();
  });

  it('refuses owner settings the migrate command cannot use', () => {
    const problems = (env: Env): readonly string[] => {
      try {
        loadMigrateConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ DB_OWNER_USER: 'admin' })).toEqual([
      'DB_OWNER_* need a database: set PGHOST (and PGDATABASE) or DATABASE_URL.',
    ]);
    expect(problems({ PGHOST: 'db', PGUSER: 'u', DB_OWNER_PASSWORD: 'p' })).toEqual([
      'DB_OWNER_PASSWORD is set without DB_OWNER_USER: set both, or DB_OWNER_SECRET_ARN instead.',
    ]);
    expect(problems({ PGHOST: 'db', PGUSER: 'u', DB_OWNER_USER: 'a', DB_OWNER_SECRET_ARN: 'arn:x' })).toEqual([
      'Set either DB_OWNER_SECRET_ARN or DB_OWNER_USER (with DB_OWNER_PASSWORD), not both.',
    ]);
  });

  it('refuses TLS modes that accept any certificate, and credentials without a database', () => {
    expect(problemsOf(readDatabaseSettings, { DATABASE_URL: 'postgres://u@db.internal/x?sslmode=no-verify' })).toEqual([
      'sslmode in DATABASE_URL="no-verify" is not accepted (expected disable, verify-ca, verify-full); modes that skip certificate checks are refused.',
    ]);
    expect(problemsOf(readDatabaseSettings, { PGHOST: 'db', PGUSER: 'u', PGSSLMODE: 'require' })).toEqual([
      'PGSSLMODE="require" is not accepted (expected disable, verify-ca, verify-full); modes that skip certificate checks are refused.',
    ]);
    expect(problemsOf(readDatabaseSettings, { DB_SECRET_ARN: 'arn:x' })).toEqual([
      'DB_SECRET_ARN needs a database: set PGHOST (and PGDATABASE) or DATABASE_URL.',
    ]);
    expect(problemsOf(readDatabaseSettings, { PGHOST: 'db' })).toEqual([
      'No database user: set PGUSER, a user in DATABASE_URL, or DB_SECRET_ARN.',
    ]);
  });

  it('reports every bad variable at once, by name', () => {
    const problems = problemsOf(
      (reader) => {
        readProcessSettings(reader, 8000);
        readDatabaseSettings(reader);
        readCacheSettings(reader);
      },
      {
        PORT: '-1',
        LOG_LEVEL: 'chatty',
        PGHOST: 'db',
        PGUSER: 'u',
        PGPORT: 'x',
        REDIS_URL: 'http://cache',
        REDIS_COMMAND_TIMEOUT_MS: '5ms',
      },
    );
    expect(problems).toEqual([
      'PORT=-1 is out of range (expected 0..65535).',
      'LOG_LEVEL="chatty" is not one of: fatal, error, warn, info, debug, trace, silent.',
      'PGPORT="x" is not an integer (expected 1..65535).',
      'REDIS_URL uses scheme "http:" (expected redis: or rediss:).',
      'REDIS_COMMAND_TIMEOUT_MS="5ms" is not an integer (expected 10..60000).',
    ]);
  });

  it('accepts a Redis URL with TLS and a custom key prefix', () => {
    expect(
      readCacheSettings(new EnvReader({ REDIS_URL: 'rediss://cache.internal:6380', REDIS_KEY_PREFIX: 'shop:' })),
    ).toEqual({
      kind: 'redis',
      url: 'rediss://cache.internal:6380',
      keyPrefix: 'shop:',
      connectTimeoutMs: 3_000,
      commandTimeoutMs: 500,
    });
  });
});
