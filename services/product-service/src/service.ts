import { PRODUCT_SERVICE_ROLE, CATALOG_MIGRATIONS } from '@berth/catalog';
import { dataService, type ServiceMigration, type ServiceSchema } from '@berth/service-kit';
import { buildApp } from './app.ts';
import { loadProductServiceConfig, SERVICE_NAME } from './config.ts';

/** The catalog schema and the access role whose grants product-service's own database user receives. */
export const productSchema: ServiceSchema = { migrations: CATALOG_MIGRATIONS, accessRole: PRODUCT_SERVICE_ROLE };

/** The product-service process: its schema (migrated before it starts) and its routes. */
export const productService = dataService({
  name: SERVICE_NAME,
  loadConfig: loadProductServiceConfig,
  database: productSchema,
  buildApp,
});

/** Its migrate command (src/migrate.ts; the task's product-service-migrate container): the one process given the owner. */
export const productMigration: ServiceMigration = { name: `${SERVICE_NAME}-migrate`, schema: productSchema };
