import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Rotated secrets reach a warm Lambda within this time. */
export const SECRET_CACHE_MS = 5 * 60 * 1000;

/** Reads secret strings from Secrets Manager, keeping each for a few minutes across invocations. */
export class SecretCache {
  private readonly entries = new Map<string, { value: string; readAt: number }>();

  constructor(
    private readonly client: Pick<SecretsManagerClient, 'send'>,
    private readonly now: () => number = Date.now,
  ) {}

  async get(secretId: string): Promise<string> {
    const cached = this.entries.get(secretId);
    if (cached && this.now() - cached.readAt < SECRET_CACHE_MS) return cached.value;
    const answer = await this.client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (typeof answer.SecretString !== 'string' || answer.SecretString === '') {
      throw new Error(`secret ${secretId} has no SecretString: store the value as text`);
    }
    this.entries.set(secretId, { value: answer.SecretString, readAt: this.now() });
    return answer.SecretString;
  }
}
