import type { EnvReader } from './config.ts';

/**
 * `disable`: plain TCP (loopback or a private test network). `verify-ca`: TLS, the server's
 * certificate must chain to a trusted CA. `verify-full`: that, and its name must match the host.
 * libpq's `require`, `prefer` and `no-verify` are refused: they accept any certificate.
 */
export const SSL_MODES = ['disable', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Where a database user name and password come from. */
export type CredentialSettings =
  | { kind: 'static'; user: string; password: string | undefined }
  /** A Secrets Manager secret holding JSON `{"username": …, "password": …}` (the shape RDS manages). */
  | { kind: 'secrets-manager'; secretId: string };

export interface PostgresSettings {
  kind: 'postgres';
  host: string;
  port: number;
  database: string;
  /** What the service's queries run as (the owner's credentials are the migrate command's alone). */
  credentials: CredentialSettings;
  ssl: { mode: SslMode; rootCertPath: string | undefined };
  poolMax: number;
  connectTimeoutMs: number;
  queryTimeoutMs: number;
}

export type DatabaseSettings = PostgresSettings | { kind: 'pglite'; dataDir?: string };

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

function readSslMode(reader: EnvReader, fromUrl: string | undefined, host: string): SslMode {
  const source = fromUrl === undefined ? 'PGSSLMODE' : 'sslmode in DATABASE_URL';
  const raw = fromUrl ?? reader.optional('PGSSLMODE');
  // A database elsewhere than this machine gets a verified connection unless told otherwise.
  if (raw === undefined) return LOOPBACK.has(host) ? 'disable' : 'verify-full';
  const mode = SSL_MODES.find((candidate) => candidate === raw.toLowerCase());
  if (mode === undefined) {
    reader.problem(
      `${source}="${raw}" is not accepted (expected ${SSL_MODES.join(', ')}); modes that skip certificate checks are refused.`,
    );
    return 'verify-full';
  }
  return mode;
}

/** The schema owner's settings: read by the migrate command, refused by the service itself. */
export const DATABASE_OWNER_VARIABLES = ['DB_OWNER_SECRET_ARN', 'DB_OWNER_USER', 'DB_OWNER_PASSWORD'] as const;

/**
 * The schema owner, who applies the migrations and provisions the service's user (the migrate command only):
 * DB_OWNER_SECRET_ARN, or DB_OWNER_USER with DB_OWNER_PASSWORD (what ECS injects from the RDS-managed secret's
 * JSON keys). Undefined: the migrations run as the service's own user (one user owns everything).
 */
export function readDatabaseOwner(reader: EnvReader): CredentialSettings | undefined {
  const secretId = reader.optional('DB_OWNER_SECRET_ARN');
  const user = reader.optional('DB_OWNER_USER');
  if (secretId !== undefined && user !== undefined)
    reader.problem('Set either DB_OWNER_SECRET_ARN or DB_OWNER_USER (with DB_OWNER_PASSWORD), not both.');
  if (secretId !== undefined) return { kind: 'secrets-manager', secretId };
  if (user !== undefined) return { kind: 'static', user, password: reader.optional('DB_OWNER_PASSWORD') };
  if (reader.optional('DB_OWNER_PASSWORD') !== undefined)
    reader.problem('DB_OWNER_PASSWORD is set without DB_OWNER_USER: set both, or DB_OWNER_SECRET_ARN instead.');
  return undefined;
}

/** A service process holds its own user's credentials only: each owner setting given to it is a problem. */
export function refuseDatabaseOwner(reader: EnvReader): void {
  for (const name of DATABASE_OWNER_VARIABLES) {
    if (reader.optional(name) === undefined) continue;
    reader.problem(
      `${name} is set, but the service never holds the database owner's credentials: give them to its migrate command (node service/dist/migrate.js; on ECS the task's <service>-migrate container) and remove them from the service's environment.`,
    );
  }
}

/**
 * DATABASE_URL wins; otherwise PGHOST (+ PGPORT/PGUSER/PGPASSWORD/PGDATABASE); otherwise embedded
 * PGlite. DB_SECRET_ARN replaces the user and password with a Secrets Manager secret read whenever
 * a connection is made.
 */
export function readDatabaseSettings(reader: EnvReader): DatabaseSettings {
  const url = reader.url('DATABASE_URL', ['postgres', 'postgresql']);
  const rawUrl = reader.optional('DATABASE_URL');
  const pgHost = reader.optional('PGHOST');
  const poolMax = reader.integer('DB_POOL_MAX', { default: 10, min: 1, max: 200 });
  const connectTimeoutMs = reader.integer('DB_CONNECT_TIMEOUT_MS', { default: 2_000, min: 100, max: 60_000 });
  const queryTimeoutMs = reader.integer('DB_QUERY_TIMEOUT_MS', { default: 5_000, min: 100, max: 300_000 });
  const pgPort = reader.integer('PGPORT', { default: 5432, min: 1, max: 65_535 });
  const secretId = reader.optional('DB_SECRET_ARN');
  const rootCertPath = reader.optional('PGSSLROOTCERT');

  if (rawUrl === undefined && pgHost === undefined) {
    if (secretId !== undefined)
      reader.problem('DB_SECRET_ARN needs a database: set PGHOST (and PGDATABASE) or DATABASE_URL.');
    return { kind: 'pglite', dataDir: reader.optional('PGLITE_DATA_DIR') };
  }

  let host = pgHost ?? 'localhost';
  let port = pgPort;
  let database = reader.optional('PGDATABASE') ?? 'postgres';
  let user = reader.optional('PGUSER');
  let password = reader.optional('PGPASSWORD');
  let urlSslMode: string | undefined;
  if (rawUrl !== undefined) {
    if (url === undefined) return { kind: 'pglite' }; // the reader has recorded why
    host = url.hostname.replace(/^\[|\]$/g, '');
    port = url.port === '' ? 5432 : Number(url.port);
    database = decodeURIComponent(url.pathname.slice(1)) || database;
    user = url.username === '' ? user : decodeURIComponent(url.username);
    password = url.password === '' ? password : decodeURIComponent(url.password);
    urlSslMode = url.searchParams.get('sslmode') ?? undefined;
  }
  let credentials: CredentialSettings;
  if (secretId !== undefined) credentials = { kind: 'secrets-manager', secretId };
  else if (user !== undefined) credentials = { kind: 'static', user, password };
  else {
    reader.problem('No database user: set PGUSER, a user in DATABASE_URL, or DB_SECRET_ARN.');
    credentials = { kind: 'static', user: '', password: undefined };
  }
  return {
    kind: 'postgres',
    host,
    port,
    database,
    credentials,
    ssl: { mode: readSslMode(reader, urlSslMode, host), rootCertPath },
    poolMax,
    connectTimeoutMs,
    queryTimeoutMs,
  };
}

/** For logs: where the database is and how it is reached, never a password. */
export function describeDatabase(settings: DatabaseSettings): string {
  if (settings.kind === 'pglite')
    return settings.dataDir ? `embedded PGlite (${settings.dataDir})` : 'embedded PGlite (in memory)';
  const who =
    settings.credentials.kind === 'static'
      ? `user ${settings.credentials.user}`
      : `credentials from secret ${settings.credentials.secretId}`;
  return `PostgreSQL ${settings.host}:${settings.port}/${settings.database} (${who}, TLS ${settings.ssl.mode})`;
}
