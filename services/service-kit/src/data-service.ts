import type { FastifyInstance } from 'fastify';
import type { Cache } from './cache.ts';
import { describeCache, readCacheSettings, type CacheSettings } from './cache-settings.ts';
import { createCacheInvalidator, type CacheInvalidator } from './cache-generation.ts';
import { EnvReader, readProcessSettings, type Env, type ProcessSettings } from './config.ts';
import type { Database } from './database.ts';
import {
  describeDatabase,
  readDatabaseSettings,
  refuseDatabaseOwner,
  type DatabaseSettings,
} from './database-settings.ts';
import { healthBodySchema } from './http-schemas.ts';
import type { Logger } from './logger.ts';
import { migrateDatabase, type ServiceSchema } from './migrate-database.ts';
import { requireMigratedSchema } from './migrations.ts';
import { openCache } from './open-cache.ts';
import { openDatabase, type OpenDatabaseOptions } from './open-database.ts';
import { registerReadiness } from './readiness.ts';
import {
  createResponseCache,
  readResponseCacheSettings,
  type ResponseCache,
  type ResponseCacheSettings,
} from './response-cache.ts';
import { listenAndServe, type ServiceDefinition } from './run-service.ts';
import { createServiceApp, type ServiceAppOptions } from './service-app.ts';

// What the services that own data share: the same configuration and the same start-up around their
// app (database checked, cache, HTTP server), so each differs only in its routes. Their migrate command
// (migrate-command.ts) prepares the database before they start.

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
  refuseDatabaseOwner(reader);
  reader.finish();
  return config;
}

export interface DataServiceDeps<C extends DataServiceConfig> {
  config: C;
  /** Migrated already (by the migrate command; the service's user provisioned). */
  db: Database;
  cache: Cache;
  logger: Logger;
}

export interface DataServiceSpec<C extends DataServiceConfig> {
  name: string;
  loadConfig(env: Env): C;
  /** What its migrate command prepares; a service applies it itself only to an embedded PGlite of its own. */
  database: ServiceSchema;
  buildApp(deps: DataServiceDeps<C>): FastifyInstance;
}

/**
 * A data service as runService runs it: database opened as the service's own user and found migrated → cache →
 * buildApp → listen. It never migrates a PostgreSQL server (its migrate command has, as the owner); an embedded PGlite
 * lives in this process alone, so there the service applies the same migrations itself. Closing stops the server,
 * then the pool and the cache client.
 */
export function dataService<C extends DataServiceConfig>(
  spec: DataServiceSpec<C>,
  options: OpenDatabaseOptions = {},
): ServiceDefinition<C> {
  return {
    name: spec.name,
    loadConfig: spec.loadConfig,
    lifecycle: (config) => config.process,
    async start(config, logger) {
      logger.info({ database: describeDatabase(config.database), cache: describeCache(config.cache) }, 'starting');
      const db = await openDatabase(config.database, logger, options);
      try {
        if (config.database.kind === 'pglite') {
          await migrateDatabase({
            schema: spec.database,
            settings: config.database,
            owner: undefined,
            timeoutMs: config.databaseStartupTimeoutMs,
            logger,
            db,
          });
        } else {
          await requireMigratedSchema(db, logger, config.databaseStartupTimeoutMs);
        }
      } catch (error) {
        await db.close().catch(() => undefined);
        throw error;
      }
      const cache = openCache(config.cache, logger);
      const app = spec.buildApp({ config, db, cache, logger });
      return listenAndServe(app, config.process, async () => {
        await Promise.allSettled([db.close(), cache.close()]);
      });
    },
  };
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
): { app: FastifyInstance; invalidator: CacheInvalidator; responses: ResponseCache | undefined } {
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
