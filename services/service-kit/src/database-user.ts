import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { DatabaseCredentials } from './database-credentials.ts';
import type { Queryable } from './database.ts';

const SCRAM_ITERATIONS = 4096;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password. Sending the verifier instead of the
 * password means the password never appears in SQL text (nor in a statement log).
 */
export function scramSha256Verifier(password: string, salt = randomBytes(16)): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, SCRAM_ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * Makes `credentials` a login user of the database that is a member of `accessRole` (a role the
 * migrations created with the service's grants) and nothing else. Run by the schema owner; the
 * password is set to the credentials' current one, so the secret is the source of truth.
 */
export async function provisionServiceUser(
  owner: Queryable,
  credentials: DatabaseCredentials,
  accessRole: string,
  logger: Logger,
): Promise<void> {
  if (credentials.password === undefined)
    throw new Error(`the service user ${credentials.user} has no password to set`);
  const verifier = scramSha256Verifier(credentials.password);
  const [statement] = await owner.query<{ sql: string }>(
    `SELECT format(
       CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)
         THEN 'ALTER ROLE %I WITH LOGIN PASSWORD %L'
         ELSE 'CREATE ROLE %I WITH LOGIN PASSWORD %L' END,
       $1::text, $2::text) AS sql`,
    [credentials.user, verifier],
  );
  const [grant] = await owner.query<{ sql: string }>("SELECT format('GRANT %I TO %I', $1::text, $2::text) AS sql", [
    accessRole,
    credentials.user,
  ]);
  if (statement === undefined || grant === undefined) throw new Error('format() returned no row');
  await owner.exec(statement.sql);
  await owner.exec(grant.sql);
  logger.info({ user: credentials.user, role: accessRole }, 'service database user provisioned');
}
