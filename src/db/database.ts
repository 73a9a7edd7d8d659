// The one interface both database backends implement (db/sqlite/, db/postgres/).
// Values cross it in their API form: JSON-ready, keyed by property name.

import type BetterSqlite3 from 'better-sqlite3';
import type { Pool, PoolClient } from 'pg';
import type { ModelDescription, TableDescription } from '../model/table-description.ts';
import type { QueryObserver } from './query-timing.ts';

export type Dialect = 'sqlite' | 'postgres';

/** A row as the API sees it: property name -> JSON value (dates as ISO strings, JSON parsed). */
export type Row = Record<string, unknown>;

/** A single-column primary key value, already coerced to the column's API type. */
export type Key = string | number;

export interface SortTerm {
  column: string;
  direction: 'asc' | 'desc';
}

/**
 * gt/gte/lt/lte compare a column; contains tests membership in a JSON array column; in matches
 * any of a list of values (an array), as relationship loading batches its keys.
 */
export type ConditionOperator = 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'in';

export interface ListCondition {
  column: string;
  op: ConditionOperator;
  /** API value: of the column's type, or of an element of the array for `contains`. */
  value: unknown;
}

export interface ListQuery {
  /** Equality filters: column name -> API value. */
  filters: Record<string, unknown>;
  /** Range and membership conditions, all of which must hold. */
  conditions?: ListCondition[];
  /**
   * Full-text search over the table's x-search columns. Rows are ranked best first unless `sort`
   * is given; paging is by offset (a cursor then carries one).
   */
  search?: string;
  /** Sort terms; the primary key is always appended as the final tie-breaker. */
  sort: SortTerm[];
  limit: number;
  offset?: number;
  /** Opaque token from a previous ListResult.nextCursor; mutually exclusive with offset. */
  cursor?: string;
}

export interface ListResult<R = Row> {
  rows: R[];
  /** Present when more rows may follow: pass it back as ListQuery.cursor. */
  nextCursor?: string;
}

/**
 * CRUD on one x-tablename table. Hot statements are prepared once per repository. `R` and `I` are
 * the row and insert types `specstack types` derives from the schema; untyped, both are Row.
 */
export interface TableRepository<R = Row, I = Row> {
  readonly table: TableDescription;
  insert(values: I): Promise<R>;
  findByKey(key: Key): Promise<R | undefined>;
  list(query: ListQuery): Promise<ListResult<R>>;
  /** PUT: every writable column is set; absent ones take their default, or NULL. */
  replace(key: Key, values: I): Promise<R | undefined>;
  /** PATCH: only the given columns change. */
  update(key: Key, patch: Partial<I>): Promise<R | undefined>;
  /** Returns the deleted row, or undefined when there was none. */
  remove(key: Key): Promise<R | undefined>;
}

/** Row and insert types by schema name: the `Tables` of an app's generated types. */
export type TableTypes = Record<string, { row: unknown; insert: unknown }>;

/** Any schema name, rows untyped: what Database is without generated types. */
export type UntypedTables = Record<string, { row: Row; insert: Row }>;

/** The repository of one schema of `Tables`. */
export type RepositoryOf<Tables extends TableTypes, Name extends keyof Tables> = TableRepository<
  Tables[Name]['row'],
  Tables[Name]['insert']
>;

/** The driver underneath, for migrate/ and for handlers that need raw access. */
export type DatabaseClient =
  | { dialect: 'sqlite'; sqlite: BetterSqlite3.Database }
  | { dialect: 'postgres'; pool: Pool };

/** The connection a transaction runs on, for raw statements that must commit with it. */
export type TransactionClient =
  | { dialect: 'sqlite'; sqlite: BetterSqlite3.Database }
  | { dialect: 'postgres'; client: PoolClient };

/** What the work of Database.transaction sees: every write through it commits or rolls back together. */
export interface Transaction<Tables extends TableTypes = UntypedTables> {
  readonly dialect: Dialect;
  repository<Name extends keyof Tables & string>(schemaName: Name): RepositoryOf<Tables, Name>;
  readonly client: TransactionClient;
  /**
   * Calls `callback` once the transaction has committed (never if it rolls back): for side effects
   * that must not happen before the data is visible, such as a job on Redis or a wake-up of workers.
   */
  afterCommit(callback: () => void): void;
}

export interface TransactionOptions {
  /**
   * Ends the transaction when it aborts: rolled back at once, and every later statement or nested
   * transaction through it refused with the signal's reason. The request's time limit passes its
   * signal here, so a handler that runs past it commits nothing.
   */
  signal?: AbortSignal;
}

export interface Database<Tables extends TableTypes = UntypedTables> {
  readonly dialect: Dialect;
  /** The URL with any password masked, for logs. */
  readonly displayUrl: string;
  readonly model: ModelDescription;
  readonly client: DatabaseClient;
  /** The Drizzle database instance (BetterSQLite3Database or NodePgDatabase). */
  readonly drizzle: unknown;
  /** Drizzle table objects keyed by SQL table name. */
  readonly tables: Record<string, unknown>;
  /** Throws SpecstackError with code SPECSTACK_ERR_MODEL_INVALID for a schema with no x-tablename. */
  repository<Name extends keyof Tables & string>(schemaName: Name): RepositoryOf<Tables, Name>;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. On
   * SQLite, other statements on the connection wait until it ends, so none slip into it.
   */
  transaction<T>(
    work: (tx: Transaction<Tables>) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /**
   * Sets (or with undefined, removes) the observer told of every statement the repositories run,
   * transactions' included: the metrics' query histogram. Raw SQL on `client` is not observed.
   */
  observeQueries(observer: QueryObserver | undefined): void;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `sqlite:relative/or/absolute/path.db`, `sqlite::memory:`, or `postgres://…` / `postgresql://…`. */
  url: string;
  model: ModelDescription;
  /** Directory that relative SQLite paths are resolved against (the app's root). */
  baseDir?: string;
}
