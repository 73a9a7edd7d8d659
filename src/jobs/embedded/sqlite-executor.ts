// SqlExecutor on the app's better-sqlite3 connection. Every job statement is a single statement,
// atomic on its own: it runs at once, synchronously, when the connection is idle, and through
// Database.transaction (which waits for it) while a request's transaction is open on the
// connection, so it never lands inside that transaction. Never holding SQLite's write lock across
// an await also keeps other connections' waits short. Mirrors postgres-executor.ts.

import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../../db/database.ts';
import type { SqlExecutor, SqlRow } from './sql-executor.ts';

/** Statements prepared once per connection: the job statements are few and fixed. */
function statementCache(sqlite: BetterSqlite3.Database) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = sqlite.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}

const caches = new WeakMap<BetterSqlite3.Database, ReturnType<typeof statementCache>>();

function prepared(sqlite: BetterSqlite3.Database) {
  let cache = caches.get(sqlite);
  if (!cache) {
    cache = statementCache(sqlite);
    caches.set(sqlite, cache);
  }
  return cache;
}

function direct(sqlite: BetterSqlite3.Database) {
  const prepare = prepared(sqlite);
  return {
    all: (sql: string, params: readonly unknown[]) => prepare(sql).all(...params) as SqlRow[],
    run: (sql: string, params: readonly unknown[]) => prepare(sql).run(...params).changes,
  };
}

/** Runs on an open transaction's connection, inside it. */
export function sqliteTransactionExecutor(sqlite: BetterSqlite3.Database): SqlExecutor {
  const run = direct(sqlite);
  return {
    dialect: 'sqlite',
    all: async (sql, params) => run.all(sql, params),
    run: async (sql, params) => run.run(sql, params),
  };
}

export function sqliteExecutor(db: Database): SqlExecutor {
  if (db.client.dialect !== 'sqlite') throw new Error('sqliteExecutor needs a SQLite database');
  const sqlite = db.client.sqlite;
  const run = direct(sqlite);
  const now = <T>(work: () => T): Promise<T> => {
    if (sqlite.inTransaction) return db.transaction(async () => work());
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return {
    dialect: 'sqlite',
    all: (sql, params) => now(() => run.all(sql, params)),
    run: (sql, params) => now(() => run.run(sql, params)),
  };
}
