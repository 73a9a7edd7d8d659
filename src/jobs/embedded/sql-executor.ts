// The few things the embedded backend asks of a database connection, one implementation per
// dialect (sqlite-executor.ts, postgres-executor.ts). Statements are written once with `?`
// placeholders; the PostgreSQL executor numbers them.

export type SqlRow = Record<string, unknown>;

export interface SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  /** Rows of a query (or of a statement's RETURNING clause). */
  all(sql: string, params: readonly unknown[]): Promise<SqlRow[]>;
  /** Rows changed by a statement. */
  run(sql: string, params: readonly unknown[]): Promise<number>;
}
