// Transactions on the one better-sqlite3 connection. A transaction spans awaits, so statements from
// other requests would land inside it; the gate holds them until it ends. Mirrors
// postgres/postgres-transactions.ts.

import { AsyncLocalStorage } from 'node:async_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import type { Transaction, TransactionOptions } from '../database.ts';

export interface TransactionGate {
  /**
   * A promise to await before running a statement, or undefined when it may run now. Throws for a
   * statement of a transaction its signal ended: outside it, the statement would commit alone.
   */
  blocked(): Promise<void> | undefined;
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Queues a callback for after the open transaction commits (nested calls share the outer's). */
  afterCommit(callback: () => void): void;
}

export function createTransactionGate(sqlite: BetterSqlite3.Database): TransactionGate {
  const owner = new AsyncLocalStorage<symbol>();
  let current: symbol | undefined;
  // Settles when the open transaction (and every one queued before the latest) has ended.
  let idle: Promise<void> = Promise.resolve();
  let committed: (() => void)[] = [];
  // Open or waiting transactions, and those whose signal ended them while their work still runs.
  // With none, the storage is disabled: while any AsyncLocalStorage is enabled, Node runs its
  // async hooks on every promise and socket of every request.
  let pending = 0;
  // Transactions their signal rolled back while their work still runs, with the reason their
  // statements get.
  const ended = new Map<symbol, unknown>();

  function refuseEnded(): void {
    const turn = owner.getStore();
    if (turn !== undefined && ended.has(turn)) throw ended.get(turn);
  }

  function blocked(): Promise<void> | undefined {
    if (ended.size > 0) refuseEnded();
    if (current === undefined || owner.getStore() === current) return undefined;
    return idle.then(() => blocked());
  }

  return {
    blocked,
    afterCommit(callback) {
      if (ended.size > 0) refuseEnded();
      committed.push(callback);
    },
    async run(work, signal) {
      // Nested calls join the transaction already open in this async context.
      if (current !== undefined && owner.getStore() === current) return work();
      if (ended.size > 0) refuseEnded();
      pending += 1;
      const previous = idle;
      let release!: () => void;
      idle = new Promise((resolve) => {
        release = resolve;
      });
      const turn = Symbol('transaction');
      // The gate opens once, whether the work ends or the signal ends the transaction first.
      let open = true;
      const close = () => {
        if (!open) return;
        open = false;
        if (current === turn) current = undefined;
        release();
      };
      const abort = () => {
        ended.set(turn, signal?.reason);
        if (current === turn && sqlite.inTransaction) sqlite.exec('ROLLBACK');
        close();
      };
      try {
        await previous;
        signal?.throwIfAborted();
        current = turn;
        const callbacks: (() => void)[] = [];
        committed = callbacks;
        sqlite.exec('BEGIN IMMEDIATE');
        signal?.addEventListener('abort', abort, { once: true });
        let result: Awaited<ReturnType<typeof work>>;
        try {
          result = await owner.run(turn, work);
          if (ended.has(turn)) throw ended.get(turn);
          sqlite.exec('COMMIT');
        } catch (error) {
          if (current === turn && sqlite.inTransaction) sqlite.exec('ROLLBACK');
          throw error;
        }
        // Outside the rollback's reach: what they follow has committed.
        for (const callback of callbacks) callback();
        return result;
      } finally {
        signal?.removeEventListener('abort', abort);
        ended.delete(turn);
        close();
        pending -= 1;
        if (pending === 0) owner.disable();
      }
    },
  };
}

export function sqliteTransaction(
  gate: TransactionGate,
  sqlite: BetterSqlite3.Database,
  repository: Transaction['repository'],
): <T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions) => Promise<T> {
  const tx: Transaction = {
    dialect: 'sqlite',
    repository,
    client: { dialect: 'sqlite', sqlite },
    afterCommit: (callback) => gate.afterCommit(callback),
  };
  return (work, options) => gate.run(() => work(tx), options?.signal);
}
