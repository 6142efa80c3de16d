import type { Logger } from 'pino';
import type { Database } from './database.ts';
import type { DatabaseSettings } from './database-settings.ts';
import { createPostgresDatabase } from './postgres-database.ts';

/** PGlite is loaded only when used, so processes talking to a real server never pay for the WebAssembly module. */
export async function openDatabase(settings: DatabaseSettings, logger: Logger): Promise<Database> {
  if (settings.kind === 'postgres') return createPostgresDatabase(settings, logger);
  const { createPgliteDatabase } = await import('./pglite-database.ts');
  return createPgliteDatabase({ dataDir: settings.dataDir });
}
