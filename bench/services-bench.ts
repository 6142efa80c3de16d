/**
 * npm run bench:services — throughput and latency of the gateway's routes on loopback, against the
 * real PostgreSQL and Redis of this machine, next to a bare Fastify route (the ceiling for Node on
 * this host) and the figures measured for the Go system Berth replaces. Prints; never asserts.
 *
 * Each service runs in its own process, as on ECS, and the load generator in this one. The ceiling
 * is measured again right before every scenario, so each ratio compares two runs made under the
 * same background load (the host is shared). The run creates its own database and Redis key prefix
 * and removes both at the end.
 *
 * The services run as in production: each is built first (`npm run build -w @berth/<service>`)
 * and started as `node services/<service>/dist/server.js` with NODE_ENV=production.
 *
 * Environment: BENCH_DATABASE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_REDIS_URL (default redis://127.0.0.1:6379), BENCH_DURATION_S (default 5),
 * BENCH_CONNECTIONS (default 50), BENCH_LOG_LEVEL for the services (default warn),
 * BENCH_FROM_SOURCE=1 to run the services' TypeScript through tsx instead of the built bundles.
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const BARE_FASTIFY_FLAG = '--serve-bare-fastify';

interface Scenario {
  label: string;
  url: string;
  /** Requests per second of the Go gateway for the same request, when the issue gives one. */
  goReference?: number;
}

interface Measurement {
  scenario: Scenario;
  /** The bare Fastify route, measured just before this scenario. */
  ceilingRequestsPerSecond: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const durationSeconds = Number(process.env.BENCH_DURATION_S ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const serviceLogLevel = process.env.BENCH_LOG_LEVEL ?? 'warn';
const fromSource = process.env.BENCH_FROM_SOURCE === '1';
const SERVICES = ['product-service', 'inventory-service', 'api-gateway'] as const;
type ServiceName = (typeof SERVICES)[number];

/** Builds each service's production bundle (dist/server.js), as its Dockerfile does. */
function buildServices(): void {
  for (const name of SERVICES) {
    const result = spawnSync('npm', ['run', 'build', '--silent', '-w', `@berth/${name}`], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (result.status !== 0) throw new Error(`npm run build -w @berth/${name} failed (exit ${result.status})`);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('could not reserve a port');
  return address.port;
}

const children: ChildProcess[] = [];

function startProcess(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') console.error(`${name} exited (code ${code}, signal ${signal})\n${stderr}`);
  });
  children.push(child);
  return child;
}

function startService(name: ServiceName, port: number, env: Record<string, string>): ChildProcess {
  const entry = fromSource
    ? ['--import', 'tsx', `services/${name}/src/server.ts`]
    : [`services/${name}/dist/server.js`];
  return startProcess(name, entry, {
    ...env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: serviceLogLevel,
  });
}

async function waitForHealthy(url: string, isReady: (body: unknown) => boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      const body: unknown = await response.json();
      if (response.ok && isReady(body)) return;
      last = `${response.status} ${JSON.stringify(body)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not become healthy: ${last}`);
}

async function stopChildren(): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

async function request(method: string, url: string, body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} → ${response.status} ${text}`);
  return text === '' ? null : JSON.parse(text);
}

/** Grows the catalogue to `target` products, each with an inventory row, through the gateway. */
async function growCatalogue(gatewayUrl: string, target: number): Promise<void> {
  const existing = (await request('GET', `${gatewayUrl}/api/products`)) as unknown[];
  const missing = Array.from(
    { length: Math.max(0, target - existing.length) },
    (_, index) => existing.length + index + 1,
  );
  const parallel = 16;
  for (let start = 0; start < missing.length; start += parallel) {
    await Promise.all(
      missing.slice(start, start + parallel).map(async (number) => {
        const product = (await request('POST', `${gatewayUrl}/api/products`, {
          name: `Bench product ${number}`,
          description: `Generated by the services benchmark (${number})`,
          price: 10 + (number % 90) + 0.99,
          category: number % 2 === 0 ? 'Bench even' : 'Bench odd',
        })) as { id: number };
        await request('POST', `${gatewayUrl}/api/inventory`, {
          product_id: product.id,
          quantity: 100 + (number % 50),
          warehouse: 'Warehouse Bench',
        });
      }),
    );
  }
}

async function load(url: string): Promise<autocannon.Result> {
  // A short warm-up so JIT compilation, pools and caches are in their steady state.
  await autocannon({ url, connections: 10, duration: 1 });
  return autocannon({ url, connections, duration: durationSeconds, timeout: 10 });
}

async function measure(scenario: Scenario, ceilingUrl: string): Promise<Measurement> {
  const ceiling = await load(ceilingUrl);
  const result = await load(scenario.url);
  console.log(`  measured ${scenario.label}`);
  return {
    scenario,
    ceilingRequestsPerSecond: ceiling.requests.average,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function printTable(measurements: Measurement[]): void {
  const header = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'errors',
    'ceiling req/s',
    'vs ceiling',
    'Go req/s',
    'vs Go',
  ];
  const rows = measurements.map((m) => [
    m.scenario.label,
    formatNumber(m.requestsPerSecond),
    formatNumber(m.p50, 1),
    formatNumber(m.p99, 1),
    formatNumber(m.non2xx),
    formatNumber(m.errors),
    formatNumber(m.ceilingRequestsPerSecond),
    `${formatNumber((m.requestsPerSecond / m.ceilingRequestsPerSecond) * 100, 1)} %`,
    m.scenario.goReference === undefined ? '—' : formatNumber(m.scenario.goReference),
    m.scenario.goReference === undefined ? '—' : `${formatNumber(m.requestsPerSecond / m.scenario.goReference, 2)}×`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const adminUrl = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const runId = `${Date.now().toString(36)}_${process.pid}`;
  const databaseName = `berth_bench_${runId}`;
  const keyPrefix = `berth-bench-${runId}:`;
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${databaseName}`;

  if (!fromSource) buildServices();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  console.log(`database ${databaseName} created; Redis key prefix "${keyPrefix}"`);

  const measurements: Measurement[] = [];
  try {
    const [gatewayPort, productPort, inventoryPort, barePort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const sharedEnv = { DATABASE_URL: databaseUrl.toString(), REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix };
    startService('product-service', productPort ?? 0, sharedEnv);
    startService('inventory-service', inventoryPort ?? 0, sharedEnv);
    startService('api-gateway', gatewayPort ?? 0, {
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      PRODUCT_SERVICE_URL: `http://127.0.0.1:${productPort}`,
      INVENTORY_SERVICE_URL: `http://127.0.0.1:${inventoryPort}`,
    });
    startProcess('bare-fastify', ['--import', 'tsx', fileURLToPath(import.meta.url), BARE_FASTIFY_FLAG], {
      PORT: String(barePort),
    });

    const gateway = `http://127.0.0.1:${gatewayPort}`;
    const bare = `http://127.0.0.1:${barePort}`;
    await waitForHealthy(`${bare}/health`, () => true);
    await waitForHealthy(`${gateway}/health`, (body) => (body as { status?: string }).status === 'healthy');
    console.log(
      `services up; ${connections} connections, ${durationSeconds} s per scenario after a 1 s warm-up, each preceded by the` +
        ` bare Fastify ceiling (GET /health, same settings); service LOG_LEVEL=${serviceLogLevel}, ${fromSource ? 'TypeScript sources via tsx' : 'built bundles (dist/server.js)'}`,
    );
    // Other work on the host skews every figure, the ceiling included; the load average says how much.
    console.log(
      `host: ${cpus().length} CPUs, load average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' / ')}\n`,
    );

    const seeded = (await request('GET', `${gateway}/api/products-full`)) as unknown[];
    console.log(`catalogue: ${seeded.length} products (seed data)`);
    const atSeed: Scenario[] = [
      { label: 'GET /health', url: `${gateway}/health`, goReference: 3_800 },
      { label: 'GET /api/products', url: `${gateway}/api/products`, goReference: 2_000 },
      { label: 'GET /api/products/1', url: `${gateway}/api/products/1`, goReference: 40_000 },
      {
        label: `GET /api/products-full (${seeded.length}, cached)`,
        url: `${gateway}/api/products-full`,
        goReference: 40_000,
      },
      {
        label: `GET /api/products-full?force_refresh=true (${seeded.length})`,
        url: `${gateway}/api/products-full?force_refresh=true`,
        goReference: 1_400,
      },
    ];
    for (const scenario of atSeed) measurements.push(await measure(scenario, `${bare}/health`));

    await growCatalogue(gateway, 1_000);
    const grown = (await request('GET', `${gateway}/api/products-full`)) as { inventory?: unknown }[];
    console.log(
      `catalogue: ${grown.length} products, ${grown.filter((product) => product.inventory !== undefined).length} with inventory`,
    );
    const atThousand: Scenario[] = [
      { label: `GET /api/products-full (${grown.length}, cached)`, url: `${gateway}/api/products-full` },
      {
        label: `GET /api/products-full?force_refresh=true (${grown.length})`,
        url: `${gateway}/api/products-full?force_refresh=true`,
      },
    ];
    for (const scenario of atThousand) measurements.push(await measure(scenario, `${bare}/health`));
  } finally {
    await stopChildren();
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await admin.end();
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    let cursor = '0';
    let removed = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) removed += await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
    console.log(`\ncleaned up: database ${databaseName} dropped, ${removed} Redis keys removed`);
  }

  console.log();
  console.log(
    `host load average after the run: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' / ')}\n`,
  );
  if (measurements.length > 0) printTable(measurements);
  console.log(
    '\nGo reference: the replaced system on the same kind of 2-vCPU host (issue 8). Its products-full made one sequential' +
      '\ninventory call per product, so it has no figure at 1,000 products; Berth makes one call whatever the count.',
  );
}

async function serveBareFastify(): Promise<void> {
  const app = Fastify({ logger: false });
  app.get('/health', async () => ({ status: 'healthy', service: 'bare-fastify' }));
  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

// The same file is the ceiling server when started with the flag, so both run in their own process.
if (process.argv.includes(BARE_FASTIFY_FLAG)) await serveBareFastify();
else await main();
