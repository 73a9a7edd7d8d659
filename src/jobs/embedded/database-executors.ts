// The executor for the app's database, and for a request's transaction on it, whichever the
// dialect: what the embedded backend, BullMQ's outbox and the task records write through.

import type { Database, Transaction } from '../../db/database.ts';
import { postgresExecutor } from './postgres-executor.ts';
import type { SqlExecutor } from './sql-executor.ts';
import { sqliteExecutor, sqliteTransactionExecutor } from './sqlite-executor.ts';

export function databaseExecutor(db: Database): SqlExecutor {
  return db.client.dialect === 'sqlite' ? sqliteExecutor(db) : postgresExecutor(db.client.pool);
}

/** Statements on the transaction's own connection, so they commit or roll back with it. */
export function transactionExecutor(tx: Transaction): SqlExecutor {
  return tx.client.dialect === 'sqlite'
    ? sqliteTransactionExecutor(tx.client.sqlite)
    : postgresExecutor(tx.client.client);
}
