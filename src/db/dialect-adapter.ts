// What a repository needs from a backend: run prepared statements, and name driver errors.
// sqlite/ and postgres/ each provide one; table-repository.ts is written once against it.

import { isSpecstackError } from '../errors.ts';
import type { TableDescription } from '../model/table-description.ts';
import type { Dialect } from './database.ts';

/** A value now, or once the driver answers. */
export type MaybePromise<T> = T | Promise<T>;

/** Rows as the driver returns them: raw column values, in `columns` order. */
export interface RawRows {
  columns: readonly string[];
  rows: readonly unknown[][];
}

/**
 * Runs a prepared statement with named placeholder values. On SQLite it answers synchronously
 * unless a transaction holds the connection: the request path then awaits nothing.
 */
export type PreparedStatement = (params: Record<string, unknown>) => MaybePromise<RawRows>;

export interface DialectAdapter {
  readonly dialect: Dialect;
  /** The Drizzle database (BetterSQLite3Database or NodePgDatabase); its builders are used untyped. */
  // biome-ignore lint/suspicious/noExplicitAny: tables are built at run time, so queries are untyped.
  readonly db: any;
  /**
   * Prepares a Drizzle query builder's SQL with the driver. `reusable` statements are kept for the
   * repository's life (named, so PostgreSQL parses and plans them once per connection); others run once.
   * A `single` statement answers at most one row (by key): SQLite stops stepping at the first.
   */
  prepare(query: unknown, reusable: boolean, single?: boolean): PreparedStatement;
  /** A SpecstackError for a known constraint or value failure, else the error unchanged. */
  mapError(error: unknown, table: TableDescription): unknown;
}

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** `next(value)`, synchronously when the value is already there. */
export function andThen<T, R>(
  value: MaybePromise<T>,
  next: (value: T) => MaybePromise<R>,
): MaybePromise<R> {
  return isPromise(value) ? value.then(next) : next(value);
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

/**
 * A driver error, with the statement's SQL in the message and the driver's error as the cause
 * (mapError finds it there). Bound values stay out: they may be personal, and errors are logged.
 */
export function queryFailed(error: unknown, sql: string): Error {
  // Named already (a statement refused by its transaction's signal): passed on as it is.
  if (isSpecstackError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(`database error: ${reason} (query: ${sql})`, { cause: error });
}
