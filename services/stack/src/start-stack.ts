import { randomBytes } from 'node:crypto';
import { buildApp as buildGateway } from '@berth/api-gateway/app';
import { loadGatewayConfig } from '@berth/api-gateway/config';
import { buildApp as buildInventoryService } from '@berth/inventory-service/app';
import { loadInventoryServiceConfig } from '@berth/inventory-service/config';
import { inventoryMigration } from '@berth/inventory-service/service';
import { buildApp as buildProductService } from '@berth/product-service/app';
import { loadProductServiceConfig } from '@berth/product-service/config';
import { productMigration } from '@berth/product-service/service';
import {
  createLogger,
  DATABASE_OWNER_VARIABLES,
  describeCache,
  describeDatabase,
  EnvReader,
  loadMigrateConfig,
  LOG_LEVELS,
  migrateService,
  openCache,
  openDatabase,
  urlOf,
  type Cache,
  type Database,
  type Env,
  type LogLevel,
  type Logger,
  type RunningService,
  type ServiceDefinition,
} from '@berth/service-kit';
import type { FastifyInstance } from 'fastify';

export interface StackConfig {
  /** The environment each service's configuration is read from. */
  env: Env;
  host: string;
  gatewayPort: number;
  productPort: number;
  inventoryPort: number;
  logLevel: LogLevel;
  shutdownTimeoutMs: number;
  /** The write token made for this run when API_TOKENS was not set (printed once). */
  generatedToken: string | undefined;
}

/** Reads GATEWAY_PORT, PRODUCT_PORT, INVENTORY_PORT (PORT would give all three the same port) and LOG_LEVEL. */
export function loadStackConfig(env: Env): StackConfig {
  const reader = new EnvReader(env);
  const config = {
    host: reader.string('HOST', '127.0.0.1'),
    gatewayPort: reader.integer('GATEWAY_PORT', { default: 8000, min: 0, max: 65_535 }),
    productPort: reader.integer('PRODUCT_PORT', { default: 8001, min: 0, max: 65_535 }),
    inventoryPort: reader.integer('INVENTORY_PORT', { default: 8002, min: 0, max: 65_535 }),
    logLevel: reader.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    shutdownTimeoutMs: reader.integer('SHUTDOWN_TIMEOUT_MS', { default: 20_000, min: 100, max: 28_000 }),
  };
  reader.finish();
  const generatedToken =
    reader.optional('API_TOKENS') === undefined ? randomBytes(32).toString('base64url') : undefined;
  return {
    ...config,
    env: { ...env, ...(generatedToken !== undefined && { API_TOKENS: generatedToken }) },
    generatedToken,
  };
}

export interface RunningStack extends RunningService {
  gatewayUrl: string;
  productUrl: string;
  inventoryUrl: string;
  /** A token the gateway accepts for writes (the generated one, or the first of API_TOKENS). */
  writeToken: string;
}

/**
 * The three services in one process. Without DATABASE_URL they share one embedded PGlite
 * database; without REDIS_URL one in-memory cache, which the gateway and the services can safely
 * cache responses against because the writers bump the very same generation key. With the
 * variables set, each service gets its own pool and Redis client, as separate processes would.
 */
export async function startStackWith(config: StackConfig, logger: Logger): Promise<RunningStack> {
  const { env, host, logLevel: level } = config;
  // As on ECS: the migrate step alone gets the owner (DB_OWNER_*); the services get their own user only.
  const migrateConfig = loadMigrateConfig(env);
  const serviceEnv = withoutDatabaseOwner(env);
  const productConfig = loadProductServiceConfig({ ...serviceEnv, HOST: host, PORT: String(config.productPort) });
  const inventoryConfig = loadInventoryServiceConfig({
    ...serviceEnv,
    HOST: host,
    PORT: String(config.inventoryPort),
  });
  const gatewayEnv = { ...serviceEnv, HOST: host, PORT: String(config.gatewayPort) };
  // Checked now, before any database is opened; the service URLs are known only once they listen.
  loadGatewayConfig({
    ...gatewayEnv,
    PRODUCT_SERVICE_URL: 'http://127.0.0.1:1',
    INVENTORY_SERVICE_URL: 'http://127.0.0.1:1',
  });
  logger.info(
    { database: describeDatabase(productConfig.database), cache: describeCache(productConfig.cache) },
    'starting the stack',
  );

  const opened: Array<{ close(): Promise<void> }> = [];
  const servers: FastifyInstance[] = [];
  const closeAll = async (): Promise<void> => {
    for (const server of [...servers].reverse()) await server.close();
    await Promise.allSettled(opened.map((resource) => resource.close()));
  };

  try {
    const productLogger = createLogger({ service: 'product-service', level });
    const inventoryLogger = createLogger({ service: 'inventory-service', level });
    const gatewayLogger = createLogger({ service: 'api-gateway', level });

    const sharedDb =
      productConfig.database.kind === 'pglite' ? await openDatabase(productConfig.database, productLogger) : undefined;
    if (sharedDb !== undefined) opened.push(sharedDb);
    // Each service's migrate command, in this process, before either service opens its own connections.
    for (const [migration, serviceLogger] of [
      [productMigration, productLogger],
      [inventoryMigration, inventoryLogger],
    ] as const) {
      await migrateService(migration, migrateConfig, serviceLogger, { db: sharedDb });
    }
    const productDb: Database = sharedDb ?? (await openDatabase(productConfig.database, productLogger));
    if (sharedDb === undefined) opened.push(productDb);
    const inventoryDb: Database = sharedDb ?? (await openDatabase(inventoryConfig.database, inventoryLogger));
    if (sharedDb === undefined) opened.push(inventoryDb);

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
      ...loadGatewayConfig({ ...gatewayEnv, PRODUCT_SERVICE_URL: productUrl, INVENTORY_SERVICE_URL: inventoryUrl }),
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
      urls: [gatewayUrl, productUrl, inventoryUrl],
      gatewayUrl,
      productUrl,
      inventoryUrl,
      writeToken: gatewayConfig.apiTokens[0] ?? '',
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}

function withoutDatabaseOwner(env: Env): Env {
  const copy = { ...env };
  for (const name of DATABASE_OWNER_VARIABLES) delete copy[name];
  return copy;
}

/** `npm start`: the whole system on one machine, run by the same lifecycle as every service. */
export const stackService: ServiceDefinition<StackConfig> = {
  name: 'stack',
  loadConfig: loadStackConfig,
  lifecycle: (config) => config,
  start: startStackWith,
  announce(running, config) {
    const [gatewayUrl] = running.urls;
    const lines = [`Berth is running. Open ${gatewayUrl}/ in your browser (Ctrl+C stops it).`];
    if (config.generatedToken !== undefined) {
      lines.push(
        `Write token for this run (the page asks for it before the first change; shown only once): ${config.generatedToken}`,
        'Set API_TOKENS to choose your own.',
      );
    }
    return lines.join('\n');
  },
};

export interface StackOptions {
  /** Environment to read (defaults to process.env); DATABASE_URL / REDIS_URL select real servers. */
  env?: Env;
  /** 0 picks any free port. Defaults: 8000, 8001, 8002. */
  gatewayPort?: number;
  productPort?: number;
  inventoryPort?: number;
  logLevel?: LogLevel;
}

/** Starts the stack in this process (tests); `npm start` runs stackService through runService. */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const env: Env = { ...(options.env ?? process.env) };
  const ports = {
    GATEWAY_PORT: options.gatewayPort,
    PRODUCT_PORT: options.productPort,
    INVENTORY_PORT: options.inventoryPort,
    LOG_LEVEL: options.logLevel,
  };
  for (const [name, value] of Object.entries(ports)) if (value !== undefined) env[name] = String(value);
  const config = loadStackConfig(env);
  return startStackWith(config, createLogger({ service: 'stack', level: config.logLevel }));
}
