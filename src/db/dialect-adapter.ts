// What a repository needs from a backend: run prepared Drizzle queries, and name driver errors.
// sqlite/ and postgres/ each provide one; table-repository.ts is written once against it.

import type { TableDescription } from '../model/table-description.ts';
import type { Dialect } from './database.ts';

/** Runs a prepared statement with placeholder values, resolving to the rows it returns. */
export type PreparedStatement = (
  params: Record<string, unknown>,
) => Promise<Record<string, unknown>[]>;

export interface DialectAdapter {
  readonly dialect: Dialect;
  /** The Drizzle database (BetterSQLite3Database or NodePgDatabase); its builders are used untyped. */
  // biome-ignore lint/suspicious/noExplicitAny: tables are built at run time, so queries are untyped.
  readonly db: any;
  /**
   * Prepares a Drizzle query builder. `reusable` statements are kept for the repository's life
   * (named, so PostgreSQL parses and plans them once per connection); others run once.
   */
  prepare(query: unknown, reusable: boolean): PreparedStatement;
  /** A SpecstackError for a known constraint or value failure, else the error unchanged. */
  mapError(error: unknown, table: TableDescription): unknown;
}

/** Drizzle wraps driver errors in DrizzleQueryError; the driver's error is somewhere down `cause`. */
export function findCause<T>(
  error: unknown,
  test: (candidate: unknown) => candidate is T,
): T | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (test(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
