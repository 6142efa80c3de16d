import { PRODUCT_SERVICE_ROLE, CATALOG_MIGRATIONS } from '@berth/catalog';
import { dataService } from '@berth/service-kit';
import { buildApp } from './app.ts';
import { loadProductServiceConfig, SERVICE_NAME } from './config.ts';

/** The product-service process: the catalog schema, its access role and its routes. */
export const productService = dataService({
  name: SERVICE_NAME,
  loadConfig: loadProductServiceConfig,
  migrations: CATALOG_MIGRATIONS,
  accessRole: PRODUCT_SERVICE_ROLE,
  buildApp,
});
