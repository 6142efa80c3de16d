import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL cluster of the test's own, on a free loopback port, that accepts only TLS
 * connections with password (SCRAM) authentication — unlike the machine's shared server, which
 * trusts loopback. Its certificate is signed by a CA made for the run; the certificate names
 * `localhost` only, so connecting to 127.0.0.1 with verify-full must fail.
 */
export interface OwnPostgres {
  port: number;
  /** PEM file of the CA that signed the server certificate. */
  caPath: string;
  /** The superuser's password (user `postgres`). */
  superuserPassword: string;
  /** A client connected as the superuser over verified TLS, for setting the scene. */
  admin(database?: string): Promise<pg.Client>;
  stop(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = join(root, version, 'bin');
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  throw new Error('initdb not found under /usr/lib/postgresql/*/bin; install the postgresql package');
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'ignore' });
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'berth-own-pg-'));
  const data = join(dir, 'data');
  const superuserPassword = `su-${Math.random().toString(36).slice(2)}`;
  // initdb refuses to run as root: the cluster then belongs to the postgres account.
  const asRoot = userInfo().uid === 0;
  const owner = asRoot
    ? { uid: Number(execFileSync('id', ['-u', 'postgres'])), gid: Number(execFileSync('id', ['-g', 'postgres'])) }
    : undefined;
  const run = (command: string, args: string[]): void => {
    const full = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    const result = spawnSync(full[0] as string, full[1] as string[], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };

  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=Berth test CA',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
    ],
    dir,
  );
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr'],
    dir,
  );
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost\n');
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'san.ext',
      '-out',
      'server.pem',
    ],
    dir,
  );
  writeFileSync(join(dir, 'pwfile'), `${superuserPassword}\n`);
  chmodSync(join(dir, 'server.key'), 0o600);
  if (owner) {
    for (const file of ['', 'server.key', 'server.pem', 'pwfile']) chownSync(join(dir, file), owner.uid, owner.gid);
  }

  const port = await freePort();
  run(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=scram-sha-256',
    `--pwfile=${join(dir, 'pwfile')}`,
    '--no-sync',
  ]);
  writeFileSync(
    join(data, 'postgresql.auto.conf'),
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      'ssl = on',
      `ssl_cert_file = '${join(dir, 'server.pem')}'`,
      `ssl_key_file = '${join(dir, 'server.key')}'`,
      "password_encryption = 'scram-sha-256'",
      'fsync = off',
    ].join('\n') + '\n',
  );
  // TCP only with TLS and a password; nothing is trusted.
  writeFileSync(join(data, 'pg_hba.conf'), 'hostssl all all 127.0.0.1/32 scram-sha-256\n');
  if (owner) {
    chownSync(join(data, 'postgresql.auto.conf'), owner.uid, owner.gid);
    chownSync(join(data, 'pg_hba.conf'), owner.uid, owner.gid);
  }
  run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']);

  const caPath = join(dir, 'ca.pem');
  const ca = readFileSync(caPath, 'utf8');
  return {
    port,
    caPath,
    superuserPassword,
    async admin(database = 'postgres') {
      const client = new pg.Client({
        host: 'localhost',
        port,
        user: 'postgres',
        password: superuserPassword,
        database,
        ssl: { ca, rejectUnauthorized: true },
      });
      await client.connect();
      return client;
    },
    async stop() {
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
