import { runMigrate } from '@berth/service-kit';
import { inventoryMigration } from './service.ts';

// Migrates the database and provisions inventory-service's user as the owner (DB_OWNER_*), then exits; the service starts after.
await runMigrate(inventoryMigration);
