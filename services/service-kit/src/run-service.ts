import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { ConfigError, type Env, type LifecycleSettings } from './config.ts';
import { errorMessage } from './errors.ts';
import { createLogger, type Logger } from './logger.ts';

/** A started service: where it listens, and how to stop it. */
export interface RunningService {
  /** Base URLs, one per HTTP server, in start order. */
  urls: string[];
  /** Stops accepting connections, lets in-flight requests finish, then releases resources. */
  close(): Promise<void>;
}

/** What an entry point runs: how to configure it and how to start it. */
export interface ServiceDefinition<C> {
  /** Names the service in logs. */
  name: string;
  /** Reads and validates the environment; throws a ConfigError naming every bad variable. */
  loadConfig(env: Env): C;
  lifecycle(config: C): LifecycleSettings;
  /** Opens resources, builds the app(s) and listens; everything opened is closed on failure. */
  start(config: C, logger: Logger): Promise<RunningService>;
  /** A line for a person once the service is up (what `npm start` prints). */
  announce?(running: RunningService, config: C): string;
}

/** The base URL a listening Fastify app answers on (0.0.0.0 shown as localhost). */
export function urlOf(app: FastifyInstance): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on a TCP port');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${address.port}`;
}

/**
 * Listens with `app`, or closes `closeResources` if it cannot. The returned close() stops the
 * server (in-flight requests finish; idle keep-alive sockets close) and then the resources.
 */
export async function listenAndServe(
  app: FastifyInstance,
  address: { host: string; port: number },
  closeResources: () => Promise<void>,
): Promise<RunningService> {
  try {
    await app.listen(address);
  } catch (error) {
    await app.close().catch(() => undefined);
    await closeResources().catch(() => undefined);
    throw error;
  }
  return {
    urls: [urlOf(app)],
    async close() {
      try {
        await app.close();
      } finally {
        await closeResources();
      }
    },
  };
}

/** What runService needs from the process it runs in (the real one, or a test's stand-in). */
export interface ProcessHost {
  env: Env;
  onSignal(signal: NodeJS.Signals, handler: (signal: NodeJS.Signals) => void): void;
  write(text: string): void;
  exit(code: number): void;
  /** The logger for the service (JSON lines on stdout by default). */
  createLogger(service: string, level: LifecycleSettings['logLevel']): Logger;
}

export const nodeProcess: ProcessHost = {
  env: process.env,
  onSignal: (signal, handler) => process.once(signal, handler),
  write: (text) => process.stdout.write(text),
  exit: (code) => process.exit(code),
  createLogger: (service, level) => createLogger({ service, level }),
};

/**
 * Every entry point's process: configuration → logger → start → (announce) → serve until SIGTERM
 * or SIGINT, then a graceful stop and exit 0. A stop that outlasts shutdownTimeoutMs (kept under
 * ECS's 30 s stop timeout) exits 1 with a log line rather than being killed mid-way; a start-up
 * failure exits 1 with one JSON line naming the cause.
 */
export async function runService<C>(definition: ServiceDefinition<C>, host: ProcessHost = nodeProcess): Promise<void> {
  let logger: Logger;
  let running: RunningService;
  let lifecycle: LifecycleSettings;
  try {
    const config = definition.loadConfig(host.env);
    lifecycle = definition.lifecycle(config);
    logger = host.createLogger(definition.name, lifecycle.logLevel);
    running = await definition.start(config, logger);
    const announcement = definition.announce?.(running, config);
    if (announcement !== undefined) host.write(`\n${announcement}\n\n`);
  } catch (error) {
    reportStartupFailure(definition.name, host, error);
    host.exit(1);
    return;
  }
  const log = logger;
  // The logger writes asynchronously: let it finish before the process ends.
  const exit = (code: number): void => log.flush(() => host.exit(code));
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      log.error({ timeoutMs: lifecycle.shutdownTimeoutMs }, 'graceful shutdown timed out; exiting anyway');
      exit(1);
    }, lifecycle.shutdownTimeoutMs);
    running.close().then(
      () => {
        clearTimeout(deadline);
        log.info('shutdown complete');
        exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'error during shutdown');
        exit(1);
      },
    );
  };
  host.onSignal('SIGTERM', stop);
  host.onSignal('SIGINT', stop);
}

/** The one JSON line (`level: "fatal"`) a failed start-up writes, synchronously, just before the process exits 1. */
export function reportStartupFailure(service: string, host: ProcessHost, error: unknown): void {
  startupFailureLog(service, host).fatal(...startupFailureLine(error));
}

/** A synchronous logger for the one line a failed start-up writes just before exiting. */
function startupFailureLog(service: string, host: ProcessHost): Logger {
  return pino(
    {
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (line: string) => host.write(line) },
  );
}

function startupFailureLine(error: unknown): [Record<string, unknown>, string] {
  if (error instanceof ConfigError) return [{ problems: error.problems }, error.message];
  return [{ err: error }, `start-up failed: ${errorMessage(error)}`];
}
