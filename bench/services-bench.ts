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
 * Every cached route is measured and reported with p50 and p99 (target: p99 under 20 ms at 50
 * connections). The host is a shared 2-vCPU machine whose stalls, now and then, push one run's p99
 * (the bare ceiling's too) past any target, so every scenario is measured in BENCH_ROUNDS rounds,
 * interleaved (round 1 of every scenario, then round 2, …), and the table gives the median and the
 * worst round, and in how many rounds the p99 was under target. Then a cache-busting flood over large products (unknown query parameters, and
 * many values of the parameters a route defines) reports the gateway's resident memory before,
 * at its peak and after.
 *
 * Environment: BENCH_DATABASE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_REDIS_URL (default redis://127.0.0.1:6379), BENCH_DURATION_S (default 5), BENCH_ROUNDS (default 3),
 * BENCH_CONNECTIONS (default 50), BENCH_LOG_LEVEL for the services (default info, as in production),
 * BENCH_FROM_SOURCE=1 to run the services' TypeScript through tsx instead of the built bundles,
 * BENCH_SERVICES_ROOT=<checkout> to build and run the services of another checkout (an older
 * commit extracted with `git archive`, for before/after figures) with this load generator,
 * BENCH_NICE (default -10 as root, else 0: the priority of every process the bench starts),
 * BENCH_FLOOD_RSS_LIMIT_MB (default 1536) stops the flood early when the gateway grows past it,
 * BENCH_LOAD_GENERATOR=wrk|autocannon (default: wrk when it is on PATH — `wrk -t2 -c<connections>`, a C
 * load generator that leaves more of the two cores to the services — else autocannon).
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const BARE_FASTIFY_FLAG = '--serve-bare-fastify';

interface Scenario {
  label: string;
  url: string;
  /** Served from the gateway's response cache (the p99 target applies). */
  cached?: boolean;
  /** Requests per second of the Go gateway for the same request, when the issue gives one. */
  goReference?: number;
}

interface Measurement {
  scenario: Scenario;
  /** The bare Fastify route, measured just before this scenario. */
  ceilingRequestsPerSecond: number;
  /** Its p99: what the host alone (shared, loaded) adds to any route's tail. */
  ceilingP99: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

const root = process.env.BENCH_SERVICES_ROOT ?? fileURLToPath(new URL('..', import.meta.url));
const durationSeconds = Number(process.env.BENCH_DURATION_S ?? 5);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const serviceLogLevel = process.env.BENCH_LOG_LEVEL ?? 'info';
const P99_TARGET_MS = 20;
/**
 * Scheduling priority of the services, the ceiling server and wrk: on a shared host other work
 * otherwise decides the tail. Below 0 only as root (the default then).
 */
const niceness = Number(process.env.BENCH_NICE ?? (process.getuid?.() === 0 ? -10 : 0));
/** The flood stops early when the gateway grows past this (the host is shared). */
const floodRssLimitMb = Number(process.env.BENCH_FLOOD_RSS_LIMIT_MB ?? 1_536);
/** The write token the bench's gateway accepts (older checkouts ignore it). */
const WRITE_TOKEN = `bench-${process.pid}-0123456789abcdefghijklmnopqrstuvwxyz`;
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
  const child = spawn('nice', ['-n', String(niceness), process.execPath, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    // stdout is a pipe read by this process, as a container's log driver reads it.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.resume();
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

/**
 * Runs a data service's migrate command to completion, as its task's migrate container does before the service
 * starts. A checkout without one (its services migrated at start-up) has nothing to run.
 */
async function migrateDatabase(name: ServiceName, env: Record<string, string>): Promise<void> {
  const entry = fromSource ? `services/${name}/src/migrate.ts` : `services/${name}/dist/migrate.js`;
  if (!existsSync(join(root, entry))) return;
  const child = startProcess(`${name} migrate`, fromSource ? ['--import', 'tsx', entry] : [entry], {
    ...env,
    NODE_ENV: 'production',
    LOG_LEVEL: serviceLogLevel,
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0)
    throw new Error(
      `${entry} exited with code ${code}: run it alone with DATABASE_URL=${env.DATABASE_URL} to see its log`,
    );
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
  const headers: Record<string, string> = method === 'GET' ? {} : { authorization: `Bearer ${WRITE_TOKEN}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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

interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

const useWrk =
  process.env.BENCH_LOAD_GENERATOR === 'wrk' ||
  (process.env.BENCH_LOAD_GENERATOR !== 'autocannon' && spawnSync('wrk', ['--version']).error === undefined);

/** wrk's "1.23ms" / "850.00us" / "1.02s" in milliseconds. */
function wrkMilliseconds(value: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(value);
  if (match === null) throw new Error(`unexpected wrk latency "${value}"`);
  const scale = { us: 0.001, ms: 1, s: 1_000, m: 60_000 }[match[2] as 'us' | 'ms' | 's' | 'm'];
  return Number(match[1]) * scale;
}

/** Runs wrk without blocking this process's event loop (its keep-alive sockets must see the server's closes). */
async function runWrk(url: string, wrkConnections: number, seconds: number): Promise<LoadResult> {
  const wrkArgs = ['-t2', `-c${wrkConnections}`, `-d${seconds}s`, '--latency', '--timeout', '10s', url];
  const child = spawn('nice', ['-n', String(niceness), 'wrk', ...wrkArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let errorText = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errorText += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`wrk failed (exit ${code}): ${errorText}`);
  // No distribution at all when not one request completed in time.
  const percentile = (p: string): number => {
    const value = new RegExp(`^\\s+${p}%\\s+(\\S+)$`, 'm').exec(out)?.[1];
    if (value !== undefined) return wrkMilliseconds(value);
    console.warn(`wrk printed no ${p}th percentile for ${url}:\n${out}`);
    return Number.NaN;
  };
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requestsPerSecond: Number(/^Requests\/sec:\s+([\d.]+)$/m.exec(out)?.[1] ?? Number.NaN),
    p50: percentile('50'),
    p99: percentile('99'),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    errors: socketErrors === null ? 0 : socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0),
  };
}

async function load(url: string): Promise<LoadResult> {
  // A short warm-up so JIT compilation, pools and caches are in their steady state.
  if (useWrk) {
    await runWrk(url, 10, 1);
    return runWrk(url, connections, durationSeconds);
  }
  await autocannon({ url, connections: 10, duration: 1 });
  const result = await autocannon({ url, connections, duration: durationSeconds, timeout: 10 });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function measure(scenario: Scenario, ceilingUrl: string): Promise<Measurement> {
  const ceiling = await load(ceilingUrl);
  const result = await load(scenario.url);
  console.log(
    `  ${scenario.label}: ${formatNumber(result.requestsPerSecond)} req/s, p50 ${formatNumber(result.p50, 1)} ms,` +
      ` p99 ${formatNumber(result.p99, 1)} ms (bare Fastify just before: p99 ${formatNumber(ceiling.p99, 1)} ms)`,
  );
  return {
    scenario,
    ceilingRequestsPerSecond: ceiling.requestsPerSecond,
    ceilingP99: ceiling.p99,
    requestsPerSecond: result.requestsPerSecond,
    p50: result.p50,
    p99: result.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** One scenario over every round: medians, the worst p99, and the rounds whose p99 met the target. */
interface Summary {
  scenario: Scenario;
  rounds: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  worstP99: number;
  roundsUnderTarget: number;
  ceilingRequestsPerSecond: number;
  ceilingP99: number;
  /** Median over rounds of requests per second as a share of the ceiling measured just before. */
  shareOfCeiling: number;
  non2xx: number;
  errors: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function summarise(scenario: Scenario, measurements: Measurement[]): Summary {
  const of = (pick: (m: Measurement) => number): number[] => measurements.map(pick);
  return {
    scenario,
    rounds: measurements.length,
    requestsPerSecond: median(of((m) => m.requestsPerSecond)),
    p50: median(of((m) => m.p50)),
    p99: median(of((m) => m.p99)),
    worstP99: Math.max(...of((m) => m.p99)),
    roundsUnderTarget: measurements.filter((m) => m.p99 < P99_TARGET_MS).length,
    ceilingRequestsPerSecond: median(of((m) => m.ceilingRequestsPerSecond)),
    ceilingP99: median(of((m) => m.ceilingP99)),
    shareOfCeiling: median(of((m) => m.requestsPerSecond / m.ceilingRequestsPerSecond)),
    non2xx: of((m) => m.non2xx).reduce((sum, n) => sum + n, 0),
    errors: of((m) => m.errors).reduce((sum, n) => sum + n, 0),
  };
}

/** Every scenario measured `rounds` times, round by round, so a stall of the host lands on one round of one route. */
async function measureInRounds(scenarios: Scenario[], ceilingUrl: string): Promise<Summary[]> {
  const byScenario = scenarios.map(() => [] as Measurement[]);
  for (let round = 1; round <= rounds; round += 1) {
    if (rounds > 1) console.log(`  round ${round} of ${rounds}`);
    for (const [index, scenario] of scenarios.entries()) byScenario[index]?.push(await measure(scenario, ceilingUrl));
  }
  return scenarios.map((scenario, index) => summarise(scenario, byScenario[index] ?? []));
}

function printTable(summaries: Summary[]): void {
  console.log(
    `medians over ${rounds} round${rounds === 1 ? '' : 's'} per scenario; "worst p99" is the slowest round's\n`,
  );
  const header = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'worst p99',
    `rounds p99 < ${P99_TARGET_MS} ms`,
    'non-2xx',
    'errors',
    'ceiling req/s',
    'ceiling p99',
    'vs ceiling',
    'Go req/s',
    'vs Go',
  ];
  const rows = summaries.map((m) => [
    m.scenario.label,
    formatNumber(m.requestsPerSecond),
    formatNumber(m.p50, 1),
    formatNumber(m.p99, 1),
    formatNumber(m.worstP99, 1),
    m.scenario.cached ? `${m.roundsUnderTarget}/${m.rounds}` : '—',
    formatNumber(m.non2xx),
    formatNumber(m.errors),
    formatNumber(m.ceilingRequestsPerSecond),
    formatNumber(m.ceilingP99, 1),
    `${formatNumber(m.shareOfCeiling * 100, 1)} %`,
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

  const summaries: Summary[] = [];
  let flood: FloodReport | undefined;
  try {
    const [gatewayPort, productPort, inventoryPort, barePort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const sharedEnv = { DATABASE_URL: databaseUrl.toString(), REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix };
    for (const name of ['product-service', 'inventory-service'] as const) await migrateDatabase(name, sharedEnv);
    startService('product-service', productPort ?? 0, sharedEnv);
    startService('inventory-service', inventoryPort ?? 0, sharedEnv);
    const gatewayProcess = startService('api-gateway', gatewayPort ?? 0, {
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      PRODUCT_SERVICE_URL: `http://127.0.0.1:${productPort}`,
      INVENTORY_SERVICE_URL: `http://127.0.0.1:${inventoryPort}`,
      API_TOKENS: WRITE_TOKEN,
      // One load generator on one address: the limits stay on (their cost is measured) but never bite.
      RATE_LIMIT_READS: '100000000',
      RATE_LIMIT_WRITES: '100000000',
    });
    startProcess('bare-fastify', ['--import', 'tsx', fileURLToPath(import.meta.url), BARE_FASTIFY_FLAG], {
      PORT: String(barePort),
    });

    const gateway = `http://127.0.0.1:${gatewayPort}`;
    const bare = `http://127.0.0.1:${barePort}`;
    await waitForHealthy(`${bare}/health`, () => true);
    await waitForHealthy(`${gateway}/health`, (body) => (body as { status?: string }).status === 'healthy');
    console.log(
      `services up; ${useWrk ? 'wrk -t2' : 'autocannon'}, ${connections} connections, ${rounds} round(s) of ${durationSeconds} s per scenario, each after a 1 s warm-up, each preceded by the` +
        ` bare Fastify ceiling (GET /health, same settings); service LOG_LEVEL=${serviceLogLevel}, ${fromSource ? 'TypeScript sources via tsx' : 'built bundles (dist/server.js)'}`,
    );
    // Other work on the host skews every figure, the ceiling included; the load average says how much.
    console.log(
      `host: ${cpus().length} CPUs, bench processes at nice ${niceness}, load average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' / ')}\n`,
    );

    const seeded = (await request('GET', `${gateway}/api/products-full`)) as unknown[];
    console.log(`catalogue: ${seeded.length} products (seed data)`);
    const atSeed: Scenario[] = [
      { label: 'GET /health', url: `${gateway}/health`, goReference: 3_800 },
      { label: 'GET /api/products', url: `${gateway}/api/products`, cached: true, goReference: 2_000 },
      { label: 'GET /api/products/1', url: `${gateway}/api/products/1`, cached: true, goReference: 40_000 },
      {
        label: `GET /api/products-full (${seeded.length})`,
        url: `${gateway}/api/products-full`,
        cached: true,
        goReference: 40_000,
      },
      { label: 'GET /api/inventory', url: `${gateway}/api/inventory`, cached: true },
      { label: 'GET /api/inventory/1', url: `${gateway}/api/inventory/1`, cached: true },
      { label: 'GET /api/inventory/product/1', url: `${gateway}/api/inventory/product/1`, cached: true },
      {
        label: `GET /api/products-full?force_refresh=true (${seeded.length})`,
        url: `${gateway}/api/products-full?force_refresh=true`,
        goReference: 1_400,
      },
    ];
    summaries.push(...(await measureInRounds(atSeed, `${bare}/health`)));

    await growCatalogue(gateway, 1_000);
    const grown = (await request('GET', `${gateway}/api/products-full`)) as { inventory?: unknown }[];
    console.log(
      `catalogue: ${grown.length} products, ${grown.filter((product) => product.inventory !== undefined).length} with inventory`,
    );
    const atThousand: Scenario[] = [
      { label: `GET /api/products-full (${grown.length})`, url: `${gateway}/api/products-full`, cached: true },
      {
        label: `GET /api/products-full?force_refresh=true (${grown.length})`,
        url: `${gateway}/api/products-full?force_refresh=true`,
      },
    ];
    summaries.push(...(await measureInRounds(atThousand, `${bare}/health`)));

    flood = await cacheBustingFlood(gateway, gatewayProcess);
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
  if (summaries.length > 0) printTable(summaries);
  if (flood !== undefined) printFlood(flood);
  console.log(
    '\nGo reference: the replaced system on the same kind of 2-vCPU host (issue 8). Its products-full made one sequential' +
      '\ninventory call per product, so it has no figure at 1,000 products; Berth makes one call whatever the count.',
  );
}

interface FloodReport {
  /** Reads per round. */
  requests: number;
  /** Status of creating a product with a 900 KiB description (the issue's probe). */
  hugeProductStatus: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  /** Resident memory after each round. */
  rssAfterRoundMb: number[];
  /** Set when the flood was stopped because the gateway outgrew BENCH_FLOOD_RSS_LIMIT_MB. */
  stoppedAfter?: number;
}

/** The gateway's resident set size in MiB, from /proc (Linux). */
function residentMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

/** Gives every product the longest description the contract allows (about 2 MB per list of 1,000). */
async function enlargeProducts(gateway: string): Promise<void> {
  const products = (await request('GET', `${gateway}/api/products`)) as Array<{ id: number }>;
  const parallel = 16;
  for (let start = 0; start < products.length; start += parallel) {
    await Promise.all(
      products.slice(start, start + parallel).map((product) =>
        request('PUT', `${gateway}/api/products/${product.id}`, {
          description: `Product ${product.id}, described at length. `.padEnd(2_000, 'x'),
        }),
      ),
    );
  }
}

/**
 * The issue's attack: a large product, then rounds of reads that each try to make a new cache
 * entry — unknown parameters (`?bust=N`) and new values of defined ones (`offset`) — over 1,000
 * products with the longest descriptions allowed. Flat memory: later rounds add nothing.
 */
async function cacheBustingFlood(gateway: string, gatewayProcess: ChildProcess): Promise<FloodReport> {
  await enlargeProducts(gateway);
  const rssBeforeMb = residentMb(gatewayProcess);
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, residentMb(gatewayProcess));
  }, 50);
  const huge = await fetch(`${gateway}/api/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${WRITE_TOKEN}` },
    body: JSON.stringify({ name: 'Flood probe', price: 1, description: 'x'.repeat(900 * 1024) }),
  });
  await huge.arrayBuffer();
  const rssAfterRoundMb: number[] = [];
  let requests = 0;
  let sent = 0;
  for (let round = 0; round < 3; round += 1) {
    const paths: string[] = [];
    for (let n = 0; n < 300; n += 1) {
      const bust = round * 300 + n;
      paths.push(
        `/api/products?bust=${bust}`,
        `/api/products-full?bust=${bust}`,
        `/api/products?limit=1000&offset=${bust}`,
      );
    }
    requests = paths.length;
    const parallel = 8;
    for (let start = 0; start < paths.length; start += parallel) {
      await Promise.all(
        paths.slice(start, start + parallel).map(async (path) => (await fetch(`${gateway}${path}`)).arrayBuffer()),
      );
      sent += parallel;
      if (residentMb(gatewayProcess) > floodRssLimitMb) {
        clearInterval(sampler);
        rssPeakMb = Math.max(rssPeakMb, residentMb(gatewayProcess));
        rssAfterRoundMb.push(residentMb(gatewayProcess));
        return {
          requests,
          hugeProductStatus: huge.status,
          rssBeforeMb,
          rssPeakMb,
          rssAfterRoundMb,
          stoppedAfter: sent,
        };
      }
    }
    // What the process keeps once the round is over (its garbage collected by then).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    rssAfterRoundMb.push(residentMb(gatewayProcess));
  }
  clearInterval(sampler);
  return { requests, hugeProductStatus: huge.status, rssBeforeMb, rssPeakMb, rssAfterRoundMb };
}

function printFlood(flood: FloodReport): void {
  console.log(
    `\ncache-busting flood: POST of a 900 KiB product → ${flood.hugeProductStatus}; then 3 rounds of ${flood.requests} reads` +
      ' (?bust=N on /api/products and /api/products-full, limit=1000&offset=N on /api/products) over 1,000 products' +
      ' with 2,000-character descriptions (about 2 MB per list)',
  );
  if (flood.stoppedAfter !== undefined) {
    console.log(
      `stopped after ${flood.stoppedAfter} reads: the gateway passed ${formatNumber(floodRssLimitMb)} MiB ` +
        `(${formatNumber(flood.rssPeakMb, 0)} MiB; ${formatNumber(flood.rssBeforeMb, 0)} MiB before the flood)`,
    );
    return;
  }
  console.log(
    `gateway RSS: ${formatNumber(flood.rssBeforeMb, 0)} MiB before, after each round ` +
      `${flood.rssAfterRoundMb.map((mb) => `${formatNumber(mb, 0)} MiB`).join(' / ')}, peak ${formatNumber(flood.rssPeakMb, 0)} MiB`,
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
