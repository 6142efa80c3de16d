import { describe, expect, it } from 'vitest';
import { ConfigError, EnvReader, readProcessSettings, type Env } from '../src/config.ts';
import { listenAndServe, runService, type ProcessHost, type ServiceDefinition } from '../src/run-service.ts';
import { createServiceApp } from '../src/service-app.ts';
import { capturingLogger } from '../src/testing/silent-logger.ts';

/** A process stand-in: records what is written, raises signals on demand, reports the exit code. */
function fakeProcess(env: Env) {
  const handlers = new Map<string, (signal: NodeJS.Signals) => void>();
  const written: string[] = [];
  const { logger, lines } = capturingLogger();
  let exitWith: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exitWith = resolve));
  const host: ProcessHost = {
    env,
    onSignal: (signal, handler) => handlers.set(signal, handler),
    write: (text) => written.push(text),
    exit: (code) => exitWith(code),
    createLogger: () => logger,
  };
  return { host, written, lines, exited, signal: (name: NodeJS.Signals) => handlers.get(name)?.(name) };
}

interface TestConfig {
  process: ReturnType<typeof readProcessSettings>;
}

function definition(overrides: Partial<ServiceDefinition<TestConfig>> = {}): ServiceDefinition<TestConfig> & {
  closed: string[];
} {
  const closed: string[] = [];
  return {
    closed,
    name: 'test-service',
    loadConfig(env) {
      const reader = new EnvReader(env);
      const config = { process: readProcessSettings(reader, 0) };
      reader.finish();
      return config;
    },
    lifecycle: (config) => config.process,
    async start(config, logger) {
      const app = createServiceApp({ logger });
      app.get('/hello', async () => ({ hello: 'world' }));
      return listenAndServe(app, { host: '127.0.0.1', port: config.process.port }, async () => {
        closed.push('resources');
      });
    },
    announce: (running) => `Listening on ${running.urls[0]}`,
    ...overrides,
  };
}

describe('runService', () => {
  it('starts, announces, serves, and on SIGTERM stops gracefully and exits 0', async () => {
    const fake = fakeProcess({ HOST: '127.0.0.1', PORT: '0' });
    const service = definition();
    await runService(service, fake.host);
    const url = /Listening on (\S+)/.exec(fake.written.join(''))?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${url}/hello`)).json()).toEqual({ hello: 'world' });
    fake.signal('SIGTERM');
    expect(await fake.exited).toBe(0);
    expect(service.closed).toEqual(['resources']);
    expect(fake.lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['shutting down: finishing in-flight requests', 'shutdown complete']),
    );
    await expect(fetch(`${url}/hello`)).rejects.toThrow();
  });

  it('exits 1 with one fatal line naming every bad variable', async () => {
    const fake = fakeProcess({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    await runService(definition(), fake.host);
    expect(await fake.exited).toBe(1);
    const fatal = JSON.parse(fake.written.join('')) as { level: number; problems: string[]; service: string };
    expect(fatal.service).toBe('test-service');
    expect(fatal.problems).toEqual([
      'PORT="eighty" is not an integer (expected 0..65535).',
      'LOG_LEVEL="loud" is not one of: fatal, error, warn, info, debug, trace, silent.',
    ]);
  });

  it('exits 1 naming the cause when start-up fails', async () => {
    const fake = fakeProcess({ PORT: '0' });
    await runService(
      definition({
        start: async () => {
          throw new Error('database refused the owner');
        },
      }),
      fake.host,
    );
    expect(await fake.exited).toBe(1);
    expect(fake.written.join('')).toContain('"msg":"start-up failed: database refused the owner"');
  });

  it('exits 1 when a graceful stop outlasts SHUTDOWN_TIMEOUT_MS', async () => {
    const fake = fakeProcess({ PORT: '0', SHUTDOWN_TIMEOUT_MS: '100' });
    await runService(
      definition({
        start: async () => ({ urls: [], close: () => new Promise<void>(() => undefined) }),
      }),
      fake.host,
    );
    fake.signal('SIGINT');
    expect(await fake.exited).toBe(1);
    expect(fake.lines.some((line) => line.msg === 'graceful shutdown timed out; exiting anyway')).toBe(true);
  });

  it('reports a ConfigError thrown by start the same way', async () => {
    const fake = fakeProcess({ PORT: '0' });
    await runService(
      definition({
        start: async () => {
          throw new ConfigError(['API_TOKENS is not set.']);
        },
      }),
      fake.host,
    );
    expect(await fake.exited).toBe(1);
    expect(JSON.parse(fake.written.join('')).problems).toEqual(['API_TOKENS is not set.']);
  });
});
