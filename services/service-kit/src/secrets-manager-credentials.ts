import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CredentialSource } from './database-credentials.ts';

/** Reads a secret's current string value (the port the credential source needs from AWS). */
export interface SecretReader {
  secretString(secretId: string): Promise<string>;
}

/**
 * Secrets Manager through the AWS SDK: region, credentials (the ECS task role) and endpoint
 * (AWS_ENDPOINT_URL_SECRETS_MANAGER) come from the SDK's usual environment chain. The SDK is
 * loaded on first use, so processes that read no secret (the gateway, local runs) never load it.
 */
export function createSecretsManagerReader(): SecretReader {
  let client: SecretsManagerClient | undefined;
  return {
    async secretString(secretId) {
      const sdk = await import('@aws-sdk/client-secrets-manager');
      client ??= new sdk.SecretsManagerClient({});
      const answer = await client.send(new sdk.GetSecretValueCommand({ SecretId: secretId }));
      if (answer.SecretString === undefined)
        throw new Error(`secret ${secretId} has no string value (binary secrets are not supported)`);
      return answer.SecretString;
    },
  };
}

/**
 * A secret holding `{"username": "…", "password": "…"}`, the JSON RDS keeps for a managed master
 * password and the rotation templates keep for other users. Read on every call: the caller
 * (CurrentCredentials) decides when a fresh read is needed.
 */
export function secretCredentials(reader: SecretReader, secretId: string): CredentialSource {
  return {
    description: `Secrets Manager secret ${secretId}`,
    async read() {
      const text = await reader.secretString(secretId);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new Error(`secret ${secretId} is not JSON; store {"username": "…", "password": "…"}`);
      }
      const { username, password } = (parsed ?? {}) as { username?: unknown; password?: unknown };
      if (typeof username !== 'string' || username === '' || typeof password !== 'string')
        throw new Error(`secret ${secretId} lacks a string "username" and "password"`);
      return { user: username, password };
    },
  };
}
