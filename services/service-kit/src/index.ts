// The barrel leaves out pglite-database.ts on purpose: import it (or use openDatabase) only
// where embedded PostgreSQL is wanted, so other processes never load the WebAssembly module.
export * from './cache.ts';
export * from './cache-generation.ts';
export * from './cache-settings.ts';
export * from './catalog-migrations.ts';
export * from './config.ts';
export * from './database.ts';
export * from './data-service.ts';
export * from './database-settings.ts';
export * from './errors.ts';
export * from './http-schemas.ts';
export * from './logger.ts';
export * from './memory-cache.ts';
export * from './migrations.ts';
export * from './open-cache.ts';
export * from './open-database.ts';
export * from './postgres-database.ts';
export * from './readiness.ts';
export * from './redis-cache.ts';
export * from './request-id.ts';
export * from './request-log.ts';
export * from './response-cache.ts';
export * from './service-app.ts';
export * from './service-process.ts';
