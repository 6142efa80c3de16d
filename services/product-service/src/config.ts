import { loadDataServiceConfig, type DataServiceConfig, type Env } from '@berth/service-kit';

export const SERVICE_NAME = 'product-service';
export const DEFAULT_PORT = 8001;

export type ProductServiceConfig = DataServiceConfig;

/** Reads and validates every variable; throws a ConfigError naming each bad one. */
export function loadProductServiceConfig(env: Env): ProductServiceConfig {
  return loadDataServiceConfig(env, DEFAULT_PORT);
}
