export * from './catalog-migrations.ts';
export * from './product-schemas.ts';
