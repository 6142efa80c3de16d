import { randomBytes } from 'node:crypto';

/**
 * A new PLAN_ENCRYPTION_KEY: 32 random bytes in base64, what `openssl rand -base64 32` prints. terraform-apply.yml
 * passes `<key>:<run id>:<environment>` to `openssl enc -aes-256-cbc -pbkdf2 -iter 600000 -pass env:…`, so any
 * string works; 256 random bits leave PBKDF2 nothing to guess.
 */
export function newPlanEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}
