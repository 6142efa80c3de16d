import {
  EnvReader,
  readCacheSettings,
  readDatabaseSettings,
  readProcessSettings,
  readResponseCacheSettings,
  type CacheSettings,
  type DatabaseSettings,
  type Env,
  type ProcessSettings,
  type ResponseCacheSettings,
} from '@berth/service-kit';

export const SERVICE_NAME = 'product-service';
export const DEFAULT_PORT = 8001;

/** The response-cache settings govern this service's own cache of its GET answers. */
export interface ProductServiceConfig extends ResponseCacheSettings {
  process: ProcessSettings;
  database: DatabaseSettings;
  cache: CacheSettings;
  /** How long start-up waits for an unreachable database before giving up. */
  databaseStartupTimeoutMs: number;
}

/** Reads and validates every variable; throws a ConfigError naming each bad one. */
export function loadProductServiceConfig(env: Env): ProductServiceConfig {
  const reader = new EnvReader(env);
  const cache = readCacheSettings(reader);
  const config: ProductServiceConfig = {
    process: readProcessSettings(reader, DEFAULT_PORT),
    database: readDatabaseSettings(reader),
    cache,
    ...readResponseCacheSettings(reader, cache),
    databaseStartupTimeoutMs: reader.integer('DB_STARTUP_TIMEOUT_MS', { default: 30_000, min: 0, max: 600_000 }),
  };
  reader.finish();
  return config;
}
