import type { FastifyInstance } from 'fastify';
import type { Cache } from './cache.ts';
import { describeCache, readCacheSettings, type CacheSettings } from './cache-settings.ts';
import { createCacheInvalidator, type CacheInvalidator } from './cache-generation.ts';
import { CATALOG_MIGRATIONS } from './catalog-migrations.ts';
import { EnvReader, readProcessSettings, type Env, type ProcessSettings } from './config.ts';
import type { Database } from './database.ts';
import { describeDatabase, readDatabaseSettings, type DatabaseSettings } from './database-settings.ts';
import { createLogger, type Logger } from './logger.ts';
import { applyMigrationsWhenReachable } from './migrations.ts';
import { openCache } from './open-cache.ts';
import { openDatabase } from './open-database.ts';
import { healthBodySchema } from './http-schemas.ts';
import { registerReadiness } from './readiness.ts';
import { createResponseCache, readResponseCacheSettings, type ResponseCacheSettings } from './response-cache.ts';
import { createServiceApp, type ServiceAppOptions } from './service-app.ts';
import { exitOnStartupFailure, serveUntilSignalled } from './service-process.ts';

// What the product and inventory services share: the same configuration and the same process around
// their app (database + migrations + cache + HTTP server), so each differs only in its routes.

/** The response-cache settings govern the service's own cache of its GET answers. */
export interface DataServiceConfig extends ResponseCacheSettings {
  process: ProcessSettings;
  database: DatabaseSettings;
  cache: CacheSettings;
  /** How long start-up waits for an unreachable database before giving up. */
  databaseStartupTimeoutMs: number;
}

/** Reads and validates every variable; throws a ConfigError naming each bad one. */
export function loadDataServiceConfig(env: Env, defaultPort: number): DataServiceConfig {
  const reader = new EnvReader(env);
  const cache = readCacheSettings(reader);
  const config: DataServiceConfig = {
    process: readProcessSettings(reader, defaultPort),
    database: readDatabaseSettings(reader),
    cache,
    ...readResponseCacheSettings(reader, cache),
    databaseStartupTimeoutMs: reader.integer('DB_STARTUP_TIMEOUT_MS', { default: 30_000, min: 0, max: 600_000 }),
  };
  reader.finish();
  return config;
}

export interface DataServiceDeps<C extends DataServiceConfig> {
  config: C;
  /** Migrated already (applyMigrations with CATALOG_MIGRATIONS). */
  db: Database;
  cache: Cache;
  logger: Logger;
}

/**
 * The service process: config from the environment → database (migrated) and cache → buildApp → listen,
 * until SIGTERM/SIGINT closes the server and then the pools. A start-up failure exits 1 with its cause.
 */
export async function runDataService<C extends DataServiceConfig>(options: {
  service: string;
  loadConfig: (env: Env) => C;
  buildApp: (deps: DataServiceDeps<C>) => FastifyInstance;
}): Promise<void> {
  try {
    const config = options.loadConfig(process.env);
    const logger = createLogger({ service: options.service, level: config.process.logLevel });
    logger.info({ database: describeDatabase(config.database), cache: describeCache(config.cache) }, 'starting');
    const db = await openDatabase(config.database, logger);
    await applyMigrationsWhenReachable(db, CATALOG_MIGRATIONS, logger, config.databaseStartupTimeoutMs);
    const cache = openCache(config.cache, logger);
    const app = options.buildApp({ config, db, cache, logger });
    await serveUntilSignalled({
      app,
      logger,
      host: config.process.host,
      port: config.process.port,
      shutdownTimeoutMs: config.process.shutdownTimeoutMs,
      closeResources: async () => {
        await Promise.allSettled([db.close(), cache.close()]);
      },
    });
  } catch (error) {
    exitOnStartupFailure(options.service, error);
  }
}

/**
 * The app every data service starts from: the shared Fastify setup, `/health` and readiness (the database
 * is required, the cache is not), the invalidator that bumps the cache generation after each write, and the
 * service's own cache of GET answers under the same generation rule as the gateway's.
 */
export function createDataServiceApp<C extends DataServiceConfig>(
  service: string,
  { config, db, cache, logger }: DataServiceDeps<C>,
  appOptions: Omit<ServiceAppOptions, 'logger'> = {},
): { app: FastifyInstance; invalidator: CacheInvalidator; responses: ReturnType<typeof createResponseCache> } {
  const app = createServiceApp({ logger, ...appOptions });
  const invalidator = createCacheInvalidator(cache, logger);
  const responses = createResponseCache(config, cache, logger);
  app.addHook('onClose', async () => invalidator.close());
  app.get('/health', { schema: { response: { 200: healthBodySchema(service) } } }, async () => ({
    status: 'healthy',
    service,
  }));
  registerReadiness(app, { checks: { database: () => db.ping(), cache: () => cache.ping() }, required: ['database'] });
  return { app, invalidator, responses };
}
