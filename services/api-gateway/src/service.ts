import { describeCache, listenAndServe, openCache, type ServiceDefinition } from '@berth/service-kit';
import { buildApp } from './app.ts';
import { loadGatewayConfig, SERVICE_NAME, type GatewayConfig } from './config.ts';

/** The api-gateway process: cache client → app → listen; closing stops the server, then the cache client. */
export const gatewayService: ServiceDefinition<GatewayConfig> = {
  name: SERVICE_NAME,
  loadConfig: loadGatewayConfig,
  lifecycle: (config) => config.process,
  async start(config, logger) {
    if (!config.responseCacheEnabled) {
      logger.warn(
        'REDIS_URL is not set: responses are not cached (a process-local cache cannot see the services’ writes)',
      );
    }
    logger.info(
      { cache: describeCache(config.cache), tokens: config.apiTokens.length, corsOrigins: config.corsOrigins },
      'starting',
    );
    const cache = openCache(config.cache, logger);
    const app = buildApp({ config, cache, logger });
    return listenAndServe(app, config.process, () => cache.close());
  },
};
