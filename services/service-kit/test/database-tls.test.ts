import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresSettings } from '../src/database-settings.ts';
import { rdsCertificateAuthorities, tlsOptions } from '../src/database-tls.ts';
import { openDatabase } from '../src/open-database.ts';
import { startOwnPostgres, type OwnPostgres } from '../src/testing/own-postgres.ts';
import { silentLogger } from '../src/testing/silent-logger.ts';

describe('the RDS certificate bundle shipped with the services', () => {
  it('holds current Amazon RDS certificate authorities and is what verify-full trusts by default', () => {
    const bundle = rdsCertificateAuthorities();
    expect(bundle.length).toBeGreaterThan(20);
    const subjects = bundle.map((pem) => new X509Certificate(pem));
    expect(subjects.every((certificate) => certificate.ca)).toBe(true);
    expect(subjects.every((certificate) => new Date(certificate.validTo) > new Date())).toBe(true);
    expect(subjects.some((certificate) => /Amazon RDS eu-west-1 Root CA RSA2048 G1/.test(certificate.subject))).toBe(
      true,
    );
    const options = tlsOptions({ ssl: { mode: 'verify-full', rootCertPath: undefined } });
    expect(options).toMatchObject({ rejectUnauthorized: true, ca: bundle });
    expect(options && 'checkServerIdentity' in options).toBe(false);
    expect(tlsOptions({ ssl: { mode: 'disable', rootCertPath: undefined } })).toBe(false);
  });
});

describe('TLS to a PostgreSQL server that requires it (a cluster of this test, its own CA)', () => {
  let server: OwnPostgres;
  beforeAll(async () => {
    server = await startOwnPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const settings = (host: string, ssl: PostgresSettings['ssl']): PostgresSettings => ({
    kind: 'postgres',
    host,
    port: server.port,
    database: 'postgres',
    credentials: { kind: 'static', user: 'postgres', password: server.superuserPassword },
    ssl,
    poolMax: 1,
    connectTimeoutMs: 3_000,
    queryTimeoutMs: 5_000,
  });

  async function attempt(host: string, ssl: PostgresSettings['ssl']): Promise<string> {
    const db = await openDatabase(settings(host, ssl), silentLogger());
    try {
      const [row] = await db.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      return row?.ssl ? 'encrypted' : 'plain';
    } catch (error) {
      return `refused: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      await db.close();
    }
  }

  it('connects with verify-full when the CA is trusted and the name matches', async () => {
    expect(await attempt('localhost', { mode: 'verify-full', rootCertPath: server.caPath })).toBe('encrypted');
  });

  it('refuses a certificate that does not name the host under verify-full, but not under verify-ca', async () => {
    expect(await attempt('127.0.0.1', { mode: 'verify-full', rootCertPath: server.caPath })).toMatch(
      /^refused: .*(IP: 127\.0\.0\.1 is not in the cert's list|altnames)/,
    );
    expect(await attempt('127.0.0.1', { mode: 'verify-ca', rootCertPath: server.caPath })).toBe('encrypted');
  });

  it('refuses a server whose CA is not an RDS one when no other CA is given', async () => {
    expect(await attempt('localhost', { mode: 'verify-full', rootCertPath: undefined })).toMatch(
      /^refused: .*(self[- ]signed certificate|unable to get local issuer certificate|unable to verify)/,
    );
  });

  it('cannot connect without TLS to a server that requires it', async () => {
    expect(await attempt('localhost', { mode: 'disable', rootCertPath: undefined })).toMatch(
      /^refused: .*no encryption/,
    );
  });
});
