import { createLogger, describeCache, exitOnStartupFailure, openCache, serveUntilSignalled } from '@berth/service-kit';
import { buildApp } from './app.ts';
import { loadGatewayConfig, SERVICE_NAME } from './config.ts';

try {
  const config = loadGatewayConfig(process.env);
  const logger = createLogger({ service: SERVICE_NAME, level: config.process.logLevel });
  if (!config.responseCacheEnabled) {
    logger.warn(
      'REDIS_URL is not set: responses are not cached (a process-local cache cannot see the services’ writes)',
    );
  }
  logger.info({ cache: describeCache(config.cache) }, 'starting');
  const cache = openCache(config.cache, logger);
  const app = buildApp({ config, cache, logger });
  await serveUntilSignalled({
    app,
    logger,
    host: config.process.host,
    port: config.process.port,
    shutdownTimeoutMs: config.process.shutdownTimeoutMs,
    closeResources: () => cache.close(),
  });
} catch (error) {
  exitOnStartupFailure(SERVICE_NAME, error);
}
