import { describe, expect, it } from 'vitest';
import { readCacheSettings } from '../src/cache-settings.ts';
import { ConfigError, EnvReader, readProcessSettings } from '../src/config.ts';
import { describeDatabase, readDatabaseSettings } from '../src/database-settings.ts';

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

  it('prefers DATABASE_URL, then the PG* variables ECS injects from an RDS secret', () => {
    const fromUrl = readDatabaseSettings(
      new EnvReader({ DATABASE_URL: 'postgresql://u:secret@db.internal:5433/shop', PGHOST: 'ignored' }),
    );
    expect(fromUrl).toMatchObject({
      kind: 'postgres',
      connectionString: 'postgresql://u:secret@db.internal:5433/shop',
    });
    expect(describeDatabase(fromUrl)).toBe('PostgreSQL db.internal:5433/shop');
    const fromParts = readDatabaseSettings(
      new EnvReader({ PGHOST: 'rds.internal', PGPORT: '6432', PGUSER: 'app', PGPASSWORD: 'p', PGDATABASE: 'shop' }),
    );
    expect(fromParts).toMatchObject({
      kind: 'postgres',
      host: 'rds.internal',
      port: 6432,
      user: 'app',
      password: 'p',
      database: 'shop',
    });
    expect(describeDatabase(fromParts)).not.toContain('p@');
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
