import { CATALOG_MIGRATIONS, INVENTORY_SERVICE_ROLE } from '@berth/catalog';
import { dataService } from '@berth/service-kit';
import { buildApp } from './app.ts';
import { loadInventoryServiceConfig, SERVICE_NAME } from './config.ts';

/** The inventory-service process: the catalog schema, its access role and its routes. */
export const inventoryService = dataService({
  name: SERVICE_NAME,
  loadConfig: loadInventoryServiceConfig,
  migrations: CATALOG_MIGRATIONS,
  accessRole: INVENTORY_SERVICE_ROLE,
  buildApp,
});
