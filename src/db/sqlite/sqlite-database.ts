// The embedded backend: one better-sqlite3 connection in WAL mode with foreign keys enforced.
// Mirrors postgres/postgres-database.ts.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { ModelDescription } from '../../model/table-description.ts';
import { registerSearchFunctions } from '../../search/sqlite/sqlite-search-query.ts';
import { compileQuery } from '../compiled-query.ts';
import { createDatabase, repositoryLookup } from '../create-database.ts';
import type { Database } from '../database.ts';
import { type DialectAdapter, queryFailed, type RawRows } from '../dialect-adapter.ts';
import { createQueryTiming, statementKind } from '../query-timing.ts';
import { buildDrizzleTables } from '../tables.ts';
import { mapSqliteError } from './sqlite-errors.ts';
import { buildSqliteTable } from './sqlite-tables.ts';
import { createTransactionGate, sqliteTransaction } from './sqlite-transactions.ts';

/** How long a writer waits for another process's lock before SQLITE_BUSY, in milliseconds. */
export const SQLITE_BUSY_TIMEOUT = 5000;

export function openSqliteConnection(filename: string): BetterSqlite3.Database {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the folder of DATABASE_URL's file, from the config
  if (filename !== ':memory:') mkdirSync(path.dirname(filename), { recursive: true });
  const sqlite = new BetterSqlite3(filename);
  // WAL lets readers run beside the writer; NORMAL sync is durable across app crashes in WAL mode.
  if (filename !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT}`);
  // Search ranks exact title matches with a function PostgreSQL defines in SQL.
  registerSearchFunctions(sqlite);
  return sqlite;
}

/** A statement that answers rows as arrays of column values (the reader builds the objects). */
function prepareRaw(sqlite: BetterSqlite3.Database, sql: string) {
  const statement = sqlite.prepare<unknown[], unknown[]>(sql);
  return statement.reader ? statement.raw(true) : statement;
}

export async function openSqliteDatabase(options: {
  filename: string;
  displayUrl: string;
  model: ModelDescription;
}): Promise<Database> {
  const sqlite = openSqliteConnection(options.filename);
  const db = drizzle({ client: sqlite });
  const gate = createTransactionGate(sqlite);
  const timing = createQueryTiming();
  const adapter: DialectAdapter = {
    dialect: 'sqlite',
    db,
    prepare(query, _reusable, single = false) {
      // better-sqlite3 statements live as long as the connection; `reusable` only matters for naming on PostgreSQL.
      const compiled = compileQuery(query);
      const statement = prepareRaw(sqlite, compiled.sql);
      const columns = statement.reader ? statement.columns().map((c) => c.name) : [];
      // A write (INSERT/UPDATE/DELETE … RETURNING) is stepped to its end even when it answers one
      // row: outside a transaction it commits when it halts, and a commit that fails there (a full
      // disk, SQLITE_FULL) is reported by sqlite3_reset, which get() ignores: the row would be
      // answered but not stored. all() steps to SQLITE_DONE and throws the failure.
      const firstRowOnly = single && statement.readonly;
      // better-sqlite3 binds an array's items as the anonymous parameters: no spread per call.
      const rowsOf = (values: unknown[]): unknown[][] => {
        if (!statement.reader) {
          statement.run(values);
          return [];
        }
        if (!firstRowOnly) return statement.all(values);
        const row = statement.get(values);
        return row === undefined ? [] : [row];
      };
      const kind = statementKind(compiled.sql);
      const execute = (params: Record<string, unknown>): RawRows => {
        const observer = timing.observer;
        const started = observer ? performance.now() : 0;
        let failed = false;
        try {
          return { columns, rows: rowsOf(compiled.bind(params)) };
        } catch (error) {
          failed = true;
          throw queryFailed(error, compiled.sql);
        } finally {
          observer?.(kind, (performance.now() - started) / 1000, failed);
        }
      };
      return (params) => {
        const wait = gate.blocked();
        return wait ? wait.then(() => execute(params)) : execute(params);
      };
    },
    mapError: mapSqliteError,
  };
  const tables = buildDrizzleTables(options.model, buildSqliteTable);
  // The transaction shares the connection, so it shares the repositories too.
  const repository = repositoryLookup(options.model, tables, adapter);
  return createDatabase({
    adapter,
    client: { dialect: 'sqlite', sqlite },
    displayUrl: options.displayUrl,
    model: options.model,
    tables,
    repository,
    transaction: sqliteTransaction(gate, sqlite, repository),
    timing,
    async ping() {
      sqlite.prepare('select 1').get();
    },
    async close() {
      if (sqlite.open) sqlite.close();
    },
  });
}
