import { CATALOG_MIGRATIONS, INVENTORY_SERVICE_ROLE } from '@berth/catalog';
import { dataService, type ServiceMigration, type ServiceSchema } from '@berth/service-kit';
import { buildApp } from './app.ts';
import { loadInventoryServiceConfig, SERVICE_NAME } from './config.ts';

/** The catalog schema and the access role whose grants inventory-service's own database user receives. */
export const inventorySchema: ServiceSchema = { migrations: CATALOG_MIGRATIONS, accessRole: INVENTORY_SERVICE_ROLE };

/** The inventory-service process: its schema (migrated before it starts) and its routes. */
export const inventoryService = dataService({
  name: SERVICE_NAME,
  loadConfig: loadInventoryServiceConfig,
  database: inventorySchema,
  buildApp,
});

/** Its migrate command (src/migrate.ts; the task's inventory-service-migrate container): the one process given the owner. */
export const inventoryMigration: ServiceMigration = { name: `${SERVICE_NAME}-migrate`, schema: inventorySchema };
