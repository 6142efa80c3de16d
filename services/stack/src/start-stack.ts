import { buildApp as buildGateway } from '@berth/api-gateway/app';
import { loadGatewayConfig } from '@berth/api-gateway/config';
import { buildApp as buildInventoryService } from '@berth/inventory-service/app';
import { loadInventoryServiceConfig } from '@berth/inventory-service/config';
import { buildApp as buildProductService } from '@berth/product-service/app';
import { loadProductServiceConfig } from '@berth/product-service/config';
import {
  applyMigrationsWhenReachable,
  CATALOG_MIGRATIONS,
  createLogger,
  describeCache,
  describeDatabase,
  EnvReader,
  LOG_LEVELS,
  openCache,
  openDatabase,
  type Cache,
  type Database,
  type Env,
} from '@berth/service-kit';
import type { FastifyInstance } from 'fastify';

export interface StackOptions {
  /** Environment to read (defaults to process.env); DATABASE_URL / REDIS_URL select real servers. */
  env?: Env;
  /** 0 picks any free port. Defaults: 8000, 8001, 8002. */
  gatewayPort?: number;
  productPort?: number;
  inventoryPort?: number;
  logLevel?: string;
}

export interface RunningStack {
  gatewayUrl: string;
  productUrl: string;
  inventoryUrl: string;
  /** Stops all three servers (letting in-flight requests finish), then closes databases and caches. */
  close(): Promise<void>;
}

function urlOf(app: FastifyInstance): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on a TCP port');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${address.port}`;
}

/**
 * The three services in one process. Without DATABASE_URL they share one embedded PGlite
 * database; without REDIS_URL one in-memory cache, which the gateway can safely cache responses
 * against because the writers bump the very same generation key. With the variables set, each
 * service gets its own pool and Redis client, as separate processes would.
 */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const baseEnv: Env = { ...(options.env ?? process.env) };
  if (options.logLevel !== undefined) baseEnv.LOG_LEVEL = options.logLevel;
  const host = baseEnv.HOST ?? '127.0.0.1';
  const levelReader = new EnvReader(baseEnv);
  const level = levelReader.oneOf('LOG_LEVEL', LOG_LEVELS, 'info');
  levelReader.finish();

  const productConfig = loadProductServiceConfig({ ...baseEnv, HOST: host, PORT: String(options.productPort ?? 8001) });
  const inventoryConfig = loadInventoryServiceConfig({
    ...baseEnv,
    HOST: host,
    PORT: String(options.inventoryPort ?? 8002),
  });
  const stackLogger = createLogger({ service: 'stack', level });
  stackLogger.info(
    { database: describeDatabase(productConfig.database), cache: describeCache(productConfig.cache) },
    'starting the stack',
  );

  const opened: Array<{ close(): Promise<void> }> = [];
  const servers: FastifyInstance[] = [];
  const closeAll = async (): Promise<void> => {
    for (const server of servers.reverse()) await server.close();
    await Promise.allSettled(opened.map((resource) => resource.close()));
  };

  try {
    const productLogger = createLogger({ service: 'product-service', level });
    const inventoryLogger = createLogger({ service: 'inventory-service', level });
    const gatewayLogger = createLogger({ service: 'api-gateway', level });

    const sharedDb =
      productConfig.database.kind === 'pglite' ? await openDatabase(productConfig.database, productLogger) : undefined;
    const productDb: Database = sharedDb ?? (await openDatabase(productConfig.database, productLogger));
    const inventoryDb: Database = sharedDb ?? (await openDatabase(inventoryConfig.database, inventoryLogger));
    opened.push(...new Set([productDb, inventoryDb]));
    await applyMigrationsWhenReachable(
      productDb,
      CATALOG_MIGRATIONS,
      productLogger,
      productConfig.databaseStartupTimeoutMs,
    );

    const sharedCache =
      productConfig.cache.kind === 'memory' ? openCache(productConfig.cache, productLogger) : undefined;
    const productCache: Cache = sharedCache ?? openCache(productConfig.cache, productLogger);
    const inventoryCache: Cache = sharedCache ?? openCache(inventoryConfig.cache, inventoryLogger);

    // With one in-memory cache shared by all three, every writer bumps the generation the
    // services' own response caches check, exactly as with Redis.
    const sharedCacheResponses = sharedCache === undefined ? {} : { responseCacheEnabled: true };
    const productApp = buildProductService({
      config: { ...productConfig, ...sharedCacheResponses },
      db: productDb,
      cache: productCache,
      logger: productLogger,
    });
    servers.push(productApp);
    await productApp.listen({ host, port: productConfig.process.port });
    const inventoryApp = buildInventoryService({
      config: { ...inventoryConfig, ...sharedCacheResponses },
      db: inventoryDb,
      cache: inventoryCache,
      logger: inventoryLogger,
    });
    servers.push(inventoryApp);
    await inventoryApp.listen({ host, port: inventoryConfig.process.port });
    const productUrl = urlOf(productApp);
    const inventoryUrl = urlOf(inventoryApp);

    const gatewayConfig = {
      ...loadGatewayConfig({
        ...baseEnv,
        HOST: host,
        PORT: String(options.gatewayPort ?? 8000),
        PRODUCT_SERVICE_URL: productUrl,
        INVENTORY_SERVICE_URL: inventoryUrl,
      }),
      // Safe with the in-memory cache here: it is the one the two services bump on every write.
      responseCacheEnabled: true,
    };
    const gatewayCache: Cache = sharedCache ?? openCache(gatewayConfig.cache, gatewayLogger);
    opened.push(...new Set([productCache, inventoryCache, gatewayCache]));
    const gatewayApp = buildGateway({ config: gatewayConfig, cache: gatewayCache, logger: gatewayLogger });
    servers.push(gatewayApp);
    await gatewayApp.listen({ host, port: gatewayConfig.process.port });
    const gatewayUrl = urlOf(gatewayApp);

    let closing: Promise<void> | undefined;
    return {
      gatewayUrl,
      productUrl,
      inventoryUrl,
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}
