import { DatabaseUnavailableError, errorMessage } from './errors.ts';

export interface DatabaseCredentials {
  user: string;
  password: string | undefined;
}

/** Where credentials are read from (a fixed pair, or a Secrets Manager secret). */
export interface CredentialSource {
  /** For logs and errors: which source, never the secret itself. */
  readonly description: string;
  read(): Promise<DatabaseCredentials>;
}

export function staticCredentials(credentials: DatabaseCredentials): CredentialSource {
  return { description: `user ${credentials.user}`, read: async () => credentials };
}

/**
 * The credentials new connections use: read from the source once, then kept until an
 * authentication failure says they are out of date (a rotated password). Concurrent callers share
 * one read; a failed read is not kept, so the next connection tries again.
 */
export class CurrentCredentials {
  private current: Promise<DatabaseCredentials> | undefined;
  private stale = false;
  /** When the last re-read after a refusal started (the first read does not count). */
  private lastRereadAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly source: CredentialSource,
    /** Re-reads after refusals are spaced by at least this much, so a wrong secret is not hammered. */
    private readonly minRereadIntervalMs = 1_000,
  ) {}

  get description(): string {
    return this.source.description;
  }

  get(): Promise<DatabaseCredentials> {
    const due = this.stale && Date.now() - this.lastRereadAt >= this.minRereadIntervalMs;
    if (this.current === undefined || due) {
      if (due) this.lastRereadAt = Date.now();
      this.stale = false;
      const reading = this.source.read().catch((error: unknown) => {
        if (this.current === reading) this.current = undefined;
        throw new DatabaseUnavailableError(
          `could not read the database credentials (${this.source.description}): ${errorMessage(error)}`,
          { cause: error },
        );
      });
      this.current = reading;
    }
    return this.current;
  }

  /** The database refused them (SQLSTATE 28P01): the next connection reads the source again. */
  invalidate(): void {
    this.stale = true;
  }
}
