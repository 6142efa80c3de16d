import { loadDataServiceConfig, type DataServiceConfig, type Env } from '@berth/service-kit';

export const SERVICE_NAME = 'inventory-service';
export const DEFAULT_PORT = 8002;

export type InventoryServiceConfig = DataServiceConfig;

/** Reads and validates every variable; throws a ConfigError naming each bad one. */
export function loadInventoryServiceConfig(env: Env): InventoryServiceConfig {
  return loadDataServiceConfig(env, DEFAULT_PORT);
}
