import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { ConfigError } from './config.ts';
import { errorMessage } from './errors.ts';

export interface ServeOptions {
  app: FastifyInstance;
  logger: Logger;
  host: string;
  port: number;
  shutdownTimeoutMs: number;
  /** Released after the server has stopped and every in-flight request has finished (pools, clients). */
  closeResources: () => Promise<void>;
}

/**
 * Listens, then on SIGTERM or SIGINT: stops accepting connections, lets in-flight requests finish,
 * closes resources and exits 0. If that takes longer than shutdownTimeoutMs (kept under ECS's 30 s
 * stop timeout) the process exits 1 rather than being killed mid-way without a log line.
 */
export async function serveUntilSignalled(options: ServeOptions): Promise<void> {
  const { app, logger } = options;
  await app.listen({ host: options.host, port: options.port });
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: options.shutdownTimeoutMs }, 'graceful shutdown timed out; exiting anyway');
      process.exit(1);
    }, options.shutdownTimeoutMs);
    void (async () => {
      try {
        await app.close();
        await options.closeResources();
        clearTimeout(deadline);
        logger.info('shutdown complete');
        process.exit(0);
      } catch (error) {
        logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      }
    })();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** Start-up failed before the service could log normally: one JSON line naming the problem, exit 1. */
export function exitOnStartupFailure(service: string, error: unknown): never {
  const logger = pino({
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
  if (error instanceof ConfigError) logger.fatal({ problems: error.problems }, error.message);
  else logger.fatal({ err: error }, `start-up failed: ${errorMessage(error)}`);
  logger.flush();
  process.exit(1);
}
