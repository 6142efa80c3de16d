import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker engine runs here, so docker-compose.yml, the Dockerfile and the deploy workflow's image
// build are checked against the code they package: ports, build arguments, environment variables,
// service URLs and health checks must agree.

const root = fileURLToPath(new URL('..', import.meta.url));
const APP_SERVICES = ['api-gateway', 'product-service', 'inventory-service'] as const;
type AppService = (typeof APP_SERVICES)[number];

/** Which backing servers and sibling services each service talks to, by the variable that points at it. */
const URL_TARGETS: Record<string, { service: string; port?: number }> = {
  DATABASE_URL: { service: 'postgres', port: 5432 },
  REDIS_URL: { service: 'redis', port: 6379 },
  PRODUCT_SERVICE_URL: { service: 'product-service' },
  INVENTORY_SERVICE_URL: { service: 'inventory-service' },
};

interface ComposeHealthcheck {
  test?: string[] | string;
}
interface ComposeService {
  image?: string;
  command?: string[];
  build?: { context?: string; dockerfile?: string; args?: Record<string, string | number> };
  environment?: Record<string, string | number | boolean | null>;
  ports?: (string | number)[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: ComposeHealthcheck;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
}

function readText(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

function sourceFiles(dir: string): string[] {
  const absolute = join(root, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry) && !/\.test\.ts$/.test(entry) ? [path] : [];
  });
}

/** The configuration source a service is built from: its own src/ plus the shared service-kit. */
function configSource(service: AppService): string {
  return [...sourceFiles(`services/${service}/src`), ...sourceFiles('services/service-kit/src')]
    .map((file) => readText(file))
    .join('\n');
}

/** Whether the source reads an environment variable by that exact name (as a string literal). */
function readsVariable(source: string, name: string): boolean {
  return new RegExp(`['"\`]${name}['"\`]`).test(source);
}

/** The default PORT a service listens on, as written in its own source. */
function defaultPort(service: AppService): number | undefined {
  const source = sourceFiles(`services/${service}/src`)
    .map((file) => readText(file))
    .join('\n');
  const match =
    /readProcessSettings\([^,()]+,\s*(\d{2,5})\s*\)/.exec(source) ?? /DEFAULT_PORT\s*=\s*(\d{2,5})\b/.exec(source);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function environmentOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, String(value)]));
}

function dependencies(service: ComposeService): Record<string, { condition?: string }> {
  const raw = service.depends_on ?? {};
  return Array.isArray(raw) ? Object.fromEntries(raw.map((name) => [name, {}])) : raw;
}

function healthcheckCommand(check: ComposeHealthcheck | undefined): string {
  const test = check?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

interface DockerfileFacts {
  /** Each stage: its FROM line and the ARGs it declares. */
  stages: Array<{ from: string; args: string[] }>;
  /** ARGs declared before the first FROM (usable in FROM lines only). */
  globalArgs: string[];
  exposed: string[];
  env: Record<string, string>;
  healthcheck: string | undefined;
  user: string | undefined;
  cmd: string | undefined;
  runs: string[];
  copiesFrom: string[];
}

/** The instructions of a Dockerfile that matter here, with continuation lines joined. */
function readDockerfile(path: string): DockerfileFacts {
  const instructions = readText(path)
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const facts: DockerfileFacts = {
    stages: [],
    globalArgs: [],
    exposed: [],
    env: {},
    healthcheck: undefined,
    user: undefined,
    cmd: undefined,
    runs: [],
    copiesFrom: [],
  };
  for (const line of instructions) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const argument = rest.join(' ');
    switch (keyword.toUpperCase()) {
      case 'FROM':
        facts.stages.push({ from: argument, args: [] });
        facts.user = undefined;
        facts.env = {};
        break;
      case 'ARG': {
        const name = (rest[0] ?? '').split('=')[0] ?? '';
        (facts.stages.at(-1)?.args ?? facts.globalArgs).push(name);
        break;
      }
      case 'EXPOSE':
        facts.exposed.push(...rest);
        break;
      case 'ENV':
        for (const pair of rest) {
          const [name, value] = pair.split('=');
          if (name !== undefined && value !== undefined) facts.env[name] = value;
        }
        break;
      case 'HEALTHCHECK':
        facts.healthcheck = argument;
        break;
      case 'USER':
        facts.user = argument;
        break;
      case 'CMD':
        facts.cmd = argument;
        break;
      case 'RUN':
        facts.runs.push(argument);
        break;
      case 'COPY':
        if (argument.includes('--from=')) facts.copiesFrom.push(argument);
        break;
    }
  }
  return facts;
}

/** The port of the first http://127.0.0.1|localhost:<port>/health in a command, resolving ${PORT}. */
function healthPort(command: string, envPort: number | undefined): number | undefined {
  const match = /http:\/\/(?:127\.0\.0\.1|localhost):(\$\{PORT\}|\$PORT|\d+)\/health\b/.exec(command);
  if (match?.[1] === undefined) return undefined;
  return /^\d+$/.test(match[1]) ? Number(match[1]) : envPort;
}

const compose = parse(readText('docker-compose.yml'), { merge: true }) as ComposeFile;

describe('docker-compose.yml', () => {
  it('runs postgres 15, redis 7 and the three services built from the repository root', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'api-gateway',
        'inventory-service',
        'inventory-service-migrate',
        'postgres',
        'product-service',
        'product-service-migrate',
        'redis',
      ].sort(),
    );
    expect(compose.services.postgres?.image).toMatch(/^postgres:15(\b|$)/);
    expect(compose.services.redis?.image).toMatch(/^redis:7(\b|$)/);
    for (const name of APP_SERVICES) {
      const build = compose.services[name]?.build;
      expect(build?.context, name).toBe('.');
      expect(build?.dockerfile, name).toBe('Dockerfile');
      expect(build?.args?.SERVICE, name).toBe(name);
      expect(String(build?.args?.PORT), name).toBe(String(defaultPort(name)));
    }
  });

  describe.each(APP_SERVICES)('%s', (name) => {
    const service = compose.services[name] ?? {};
    const env = environmentOf(service);
    const port = defaultPort(name);

    it('listens on the default PORT from its code, published on the same port', () => {
      expect(port, `no default port found in services/${name}/src`).toBeTypeOf('number');
      expect(env.PORT).toBe(String(port));
      expect(service.ports?.map(String)).toContain(`${port}:${port}`);
    });

    it('sets only environment variables its configuration reads', () => {
      const source = configSource(name);
      const unread = Object.keys(env).filter((variable) => !readsVariable(source, variable));
      expect(unread, `variables set in compose but never read by ${name}`).toEqual([]);
    });

    it('points every URL variable at the right compose service and port', () => {
      const urlVariables = Object.keys(env).filter((variable) => variable in URL_TARGETS);
      expect(urlVariables.length).toBeGreaterThan(0);
      for (const variable of urlVariables) {
        const target = URL_TARGETS[variable];
        if (target === undefined) continue;
        // Backing servers listen on their standard ports; the app services on their code's default.
        const expectedPort = target.port ?? defaultPort(target.service as AppService);
        expect(expectedPort, `port of ${target.service}`).toBeTypeOf('number');
        const url = new URL(env[variable] ?? '');
        expect(url.hostname, variable).toBe(target.service);
        expect(Number(url.port), variable).toBe(expectedPort);
      }
    });

    it('waits for what it connects to be healthy, and each of those has a health check', () => {
      const needed = Object.keys(env)
        .map((variable) => URL_TARGETS[variable]?.service)
        .filter((target): target is string => target !== undefined);
      const deps = dependencies(service);
      for (const target of needed) {
        expect(deps[target]?.condition, `${name} → ${target}`).toBe('service_healthy');
        expect(healthcheckCommand(compose.services[target]?.healthcheck), target).not.toBe('');
      }
    });

    it('health-checks /health on its own port', () => {
      expect(healthPort(healthcheckCommand(service.healthcheck), undefined)).toBe(port);
    });

    it('agrees with the ECS task-definition template on the container port', () => {
      const path = `services/${name}/task-definition.json`;
      if (!existsSync(join(root, path))) return;
      const template = JSON.parse(readText(path)) as {
        containerDefinitions: {
          name: string;
          portMappings?: { containerPort: number }[];
          environment?: { name: string; value: string }[];
        }[];
      };
      const container = template.containerDefinitions.find((definition) => definition.name === name);
      expect(container, `container "${name}" in ${path}`).toBeDefined();
      expect(container?.portMappings?.map((mapping) => mapping.containerPort)).toEqual([port]);
      const templatePort = container?.environment?.find((variable) => variable.name === 'PORT')?.value;
      if (templatePort !== undefined) expect(templatePort).toBe(String(port));
    });
  });

  it("migrates as the postgres owner in each data service's migrate container, then runs the service as a user of its own", () => {
    const postgresEnv = environmentOf(compose.services.postgres ?? {});
    const dataServices = APP_SERVICES.filter((name) => environmentOf(compose.services[name] ?? {}).DATABASE_URL);
    expect(dataServices).toEqual(['product-service', 'inventory-service']);
    const users = dataServices.map((name) => {
      const service = compose.services[name] ?? {};
      const migrate = compose.services[`${name}-migrate`] ?? {};
      const env = environmentOf(service);
      const migrateEnv = environmentOf(migrate);
      // The owner reaches the migrate container alone; the service starts once it has exited 0.
      expect(
        Object.keys(env).filter((variable) => variable.startsWith('DB_OWNER')),
        name,
      ).toEqual([]);
      expect(migrateEnv.DB_OWNER_USER, name).toBe(postgresEnv.POSTGRES_USER);
      expect(migrateEnv.DB_OWNER_PASSWORD, name).toBe(postgresEnv.POSTGRES_PASSWORD);
      expect(dependencies(service)[`${name}-migrate`]?.condition, name).toBe('service_completed_successfully');
      expect(dependencies(migrate).postgres?.condition, name).toBe('service_healthy');
      // The same image, its migrate command, and the user it provisions is the one the service logs in as.
      expect(migrate.image, name).toBe(service.image);
      expect(migrate.build, name).toEqual(service.build);
      expect(migrate.command, name).toEqual(['node', 'service/dist/migrate.js']);
      expect(existsSync(join(root, `services/${name}/src/migrate.ts`)), name).toBe(true);
      expect(migrateEnv.DATABASE_URL, name).toBe(env.DATABASE_URL);
      const source = configSource(name);
      expect(
        Object.keys(migrateEnv).filter((variable) => !readsVariable(source, variable)),
        name,
      ).toEqual([]);
      const url = new URL(env.DATABASE_URL ?? '');
      expect(url.pathname.slice(1), name).toBe(postgresEnv.POSTGRES_DB);
      // The compose network has no TLS; without sslmode a non-loopback host would demand verify-full.
      expect(url.searchParams.get('sslmode'), name).toBe('disable');
      return decodeURIComponent(url.username);
    });
    expect(new Set([...users, postgresEnv.POSTGRES_USER]).size).toBe(users.length + 1);
  });

  it('requires write tokens for the gateway instead of shipping a default one', () => {
    const env = environmentOf(compose.services['api-gateway'] ?? {});
    expect(env.API_TOKENS).toMatch(/^\$\{API_TOKENS:\?.+\}$/);
  });
});

describe('Dockerfile (every service, chosen by build arguments)', () => {
  const facts = readDockerfile('Dockerfile');
  const runtime = facts.stages.at(-1);

  it('takes SERVICE and PORT as build arguments and carries them into the runtime stage', () => {
    expect(runtime?.args).toEqual(expect.arrayContaining(['SERVICE', 'PORT']));
    expect(facts.env.PORT).toBe('${PORT}');
    expect(facts.exposed).toEqual(['${PORT}']);
    expect(facts.healthcheck).toBeDefined();
    expect(facts.healthcheck).toMatch(/http:\/\/127\.0\.0\.1:\$\{PORT\}\/health\b/);
  });

  it('builds in separate stages and runs from a small image as a non-root user', () => {
    expect(facts.stages.length).toBeGreaterThan(1);
    expect(runtime?.from).toMatch(/^node:\S*(alpine|slim)\S*(\s+AS\s+\S+)?$/i);
    expect(facts.runs.some((run) => run.includes('npm run build -w "@berth/${SERVICE}"'))).toBe(true);
    expect(facts.runs.some((run) => /npm ci\b.*--omit=dev.*-w "@berth\/\$\{SERVICE\}"/.test(run))).toBe(true);
    expect(facts.user).toBeDefined();
    expect(facts.user).not.toMatch(/^(root|0)(:|$)/);
    expect(facts.cmd).toBe('["node", "service/dist/server.js"]');
  });

  it('gathers dist/, package.json and (for the gateway) public/ of the chosen service into the image', () => {
    const gather = facts.runs.find((run) => run.includes('/out/service'));
    expect(gather).toContain('cp -r "services/${SERVICE}/dist" "services/${SERVICE}/package.json" /out/service/');
    expect(gather).toContain('cp -r "services/${SERVICE}/public" /out/service/');
    expect(facts.copiesFrom).toContain('--from=build /out/service ./service');
    // The gateway finds public/ next to dist/, as in the repository.
    expect(readText('services/api-gateway/src/config.ts')).toContain("new URL('../public/', import.meta.url)");
  });

  it.each(APP_SERVICES)('can build %s: a workspace with the build script and an entry point', (name) => {
    const manifest = JSON.parse(readText(`services/${name}/package.json`)) as {
      name?: string;
      scripts?: Record<string, string>;
    };
    expect(manifest.name).toBe(`@berth/${name}`);
    expect(manifest.scripts?.build, `services/${name}/package.json has no "build" script`).toBeTypeOf('string');
    expect(existsSync(join(root, `services/${name}/src/server.ts`))).toBe(true);
    expect(existsSync(join(root, `services/${name}/Dockerfile`)), 'one Dockerfile for all').toBe(false);
  });
});

describe('the deploy workflow image build', () => {
  const workflow = parse(readText('.github/workflows/deploy.yml')) as {
    jobs: Record<
      string,
      { strategy?: { matrix?: { include?: Array<Record<string, unknown>> } }; steps?: Array<Record<string, unknown>> }
    >;
  };
  const build = workflow.jobs.build;
  const matrix = build?.strategy?.matrix?.include ?? [];
  const push = build?.steps?.find((step) => String(step.uses ?? '').startsWith('docker/build-push-action@'));

  it('builds each service from the one Dockerfile with its name and default port', () => {
    expect(matrix.map((entry) => entry.service)).toEqual(['api-gateway', 'product-service', 'inventory-service']);
    for (const entry of matrix)
      expect(String(entry.port), String(entry.service)).toBe(String(defaultPort(entry.service as AppService)));
    const inputs = push?.with as Record<string, string> | undefined;
    expect(inputs?.context).toBe('.');
    expect(inputs?.file).toBe('Dockerfile');
    expect(inputs?.['build-args']?.trim().split('\n')).toEqual([
      'SERVICE=${{ matrix.service }}',
      'PORT=${{ matrix.port }}',
    ]);
  });
});

/** Docker's rule: the last pattern matching the path or one of its parent directories decides. */
function dockerIgnores(patterns: string[], path: string): boolean {
  const prefixes = path.split('/').map((_, index, parts) => parts.slice(0, index + 1).join('/'));
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const source = pattern
      .split('/')
      .map((part) =>
        part === '**'
          ? '.*'
          : part
              .replace(/[.+^${}()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '[^/]*')
              .replace(/\?/g, '[^/]'),
      )
      .join('/')
      .replace(/\.\*\//g, '(?:.*/)?');
    const regex = new RegExp(`^${source}$`);
    if (prefixes.some((prefix) => regex.test(prefix))) ignored = !negated;
  }
  return ignored;
}

describe('.dockerignore', () => {
  const patterns = readText('.dockerignore')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('sends the lockfile, every workspace manifest and the service sources to the build', () => {
    const needed = [
      'package.json',
      'package-lock.json',
      'tsconfig.base.json',
      'actions/kit/package.json',
      'services/service-kit/package.json',
      'services/service-kit/src/config.ts',
      'services/catalog/package.json',
      'services/catalog/src/catalog-migrations.ts',
      'services/api-gateway/public/index.html',
      ...APP_SERVICES.flatMap((name) => [`services/${name}/package.json`, `services/${name}/src/server.ts`]),
    ];
    expect(needed.filter((path) => dockerIgnores(patterns, path))).toEqual([]);
  });

  it('keeps host installs, build output and repository metadata out of the context', () => {
    const unwanted = [
      '.git/HEAD',
      'node_modules/fastify/package.json',
      'services/api-gateway/node_modules/undici/package.json',
      'services/product-service/dist/server.js',
      'actions/kit/src/index.ts',
      'services/inventory-service/test/app.test.ts',
    ];
    expect(unwanted.filter((path) => !dockerIgnores(patterns, path))).toEqual([]);
  });
});
