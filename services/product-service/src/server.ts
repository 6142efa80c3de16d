import { runDataService } from '@berth/service-kit';
import { buildApp } from './app.ts';
import { loadProductServiceConfig, SERVICE_NAME } from './config.ts';

await runDataService({ service: SERVICE_NAME, loadConfig: loadProductServiceConfig, buildApp });
