import { runMigrate } from '@berth/service-kit';
import { productMigration } from './service.ts';

// Migrates the database and provisions product-service's user as the owner (DB_OWNER_*), then exits; the service starts after.
await runMigrate(productMigration);
