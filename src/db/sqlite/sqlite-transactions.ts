// Transactions on the one better-sqlite3 connection. A transaction spans awaits, so statements from
// other requests would land inside it; the gate holds them until it ends. Mirrors
// postgres/postgres-transactions.ts.

import { AsyncLocalStorage } from 'node:async_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import type { Transaction } from '../database.ts';

export interface TransactionGate {
  /** A promise to await before running a statement, or undefined when it may run now. */
  blocked(): Promise<void> | undefined;
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Queues a callback for after the open transaction commits (nested calls share the outer's). */
  afterCommit(callback: () => void): void;
}

export function createTransactionGate(sqlite: BetterSqlite3.Database): TransactionGate {
  const owner = new AsyncLocalStorage<symbol>();
  let current: symbol | undefined;
  // Settles when the open transaction (and every one queued before the latest) has ended.
  let idle: Promise<void> = Promise.resolve();
  let committed: (() => void)[] = [];
  // Open or waiting transactions. With none, the storage is disabled: while any AsyncLocalStorage is
  // enabled, Node runs its async hooks on every promise and socket of every request.
  let pending = 0;

  function blocked(): Promise<void> | undefined {
    if (current === undefined || owner.getStore() === current) return undefined;
    return idle.then(() => blocked());
  }

  return {
    blocked,
    afterCommit(callback) {
      committed.push(callback);
    },
    async run(work) {
      // Nested calls join the transaction already open in this async context.
      if (current !== undefined && owner.getStore() === current) return work();
      pending += 1;
      const previous = idle;
      let release!: () => void;
      idle = new Promise((resolve) => {
        release = resolve;
      });
      await previous;
      const token = Symbol('transaction');
      current = token;
      const callbacks: (() => void)[] = [];
      committed = callbacks;
      try {
        sqlite.exec('BEGIN IMMEDIATE');
        let result: Awaited<ReturnType<typeof work>>;
        try {
          result = await owner.run(token, work);
          sqlite.exec('COMMIT');
        } catch (error) {
          if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
          throw error;
        }
        // Outside the rollback's reach: what they follow has committed.
        for (const callback of callbacks) callback();
        return result;
      } finally {
        current = undefined;
        pending -= 1;
        if (pending === 0) owner.disable();
        release();
      }
    },
  };
}

export function sqliteTransaction(
  gate: TransactionGate,
  sqlite: BetterSqlite3.Database,
  repository: Transaction['repository'],
): <T>(work: (tx: Transaction) => Promise<T>) => Promise<T> {
  const tx: Transaction = {
    dialect: 'sqlite',
    repository,
    client: { dialect: 'sqlite', sqlite },
    afterCommit: (callback) => gate.afterCommit(callback),
  };
  return (work) => gate.run(() => work(tx));
}
