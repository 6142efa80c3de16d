import {
  applyMigrationsWhenReachable,
  CATALOG_MIGRATIONS,
  createLogger,
  describeCache,
  describeDatabase,
  exitOnStartupFailure,
  openCache,
  openDatabase,
  serveUntilSignalled,
} from '@berth/service-kit';
import { buildApp } from './app.ts';
import { loadInventoryServiceConfig, SERVICE_NAME } from './config.ts';

try {
  const config = loadInventoryServiceConfig(process.env);
  const logger = createLogger({ service: SERVICE_NAME, level: config.process.logLevel });
  logger.info({ database: describeDatabase(config.database), cache: describeCache(config.cache) }, 'starting');
  const db = await openDatabase(config.database, logger);
  await applyMigrationsWhenReachable(db, CATALOG_MIGRATIONS, logger, config.databaseStartupTimeoutMs);
  const cache = openCache(config.cache, logger);
  const app = buildApp({ config, db, cache, logger });
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
  exitOnStartupFailure(SERVICE_NAME, error);
}
