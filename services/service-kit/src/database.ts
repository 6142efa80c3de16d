/** What routes need from PostgreSQL, implemented by a pg pool or by embedded PGlite. */
export interface Queryable {
  query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Resolves when the database answers; rejects with DatabaseUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** SQLSTATE codes routes map to client errors. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_NUMERIC_OUT_OF_RANGE = '22003';
/** A NUL (U+0000) or a byte sequence the database encoding cannot hold, in text or in a JSON escape. */
export const PG_CHARACTER_NOT_IN_REPERTOIRE = '22021';
export const PG_UNTRANSLATABLE_CHARACTER = '22P05';

export function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
    return error.code;
  return undefined;
}
