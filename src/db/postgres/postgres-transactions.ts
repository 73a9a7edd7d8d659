// Transactions on PostgreSQL: one pooled connection checked out for the work, with repositories
// bound to it. Mirrors sqlite/sqlite-transactions.ts.

import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { ModelDescription } from '../../model/table-description.ts';
import { repositoryLookup } from '../create-database.ts';
import type { Transaction, TransactionOptions } from '../database.ts';
import type { QueryTiming } from '../query-timing.ts';
import { postgresAdapter, type Queryable } from './postgres-statements.ts';

export function postgresTransaction(
  pool: pg.Pool,
  model: ModelDescription,
  tables: Record<string, unknown>,
  timing: QueryTiming,
): <T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions) => Promise<T> {
  return async (work, options) => {
    const signal = options?.signal;
    const client = await pool.connect();
    // A connection whose ROLLBACK failed is in an unknown state: it is destroyed, not reused.
    let broken: Error | undefined;
    // The server dropping the connection between two statements (stopped, restarted) is an
    // 'error' event on the checked-out client, which the pool no longer listens to: unheard, it
    // would end the process. The next statement fails with it, and the connection is destroyed.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    // The signal rolls the transaction back at once (node-postgres queues the ROLLBACK behind a
    // statement still running); the repositories then refuse statements, which would commit alone.
    // The connection stays checked out until the work returns, so nothing else runs on it.
    let ended = false;
    let rolledBack: Promise<void> | undefined;
    const rollback = () => {
      rolledBack ??= client.query('ROLLBACK').then(
        () => {},
        (rollbackError: Error) => {
          broken = rollbackError;
        },
      );
      return rolledBack;
    };
    const abort = () => {
      ended = true;
      void rollback();
    };
    const statements: Queryable = signal
      ? {
          query: (config) =>
            ended ? Promise.reject(signal.reason as Error) : client.query(config),
        }
      : client;
    try {
      signal?.throwIfAborted();
      await client.query('BEGIN');
      signal?.addEventListener('abort', abort, { once: true });
      const callbacks: (() => void)[] = [];
      const tx: Transaction = {
        dialect: 'postgres',
        repository: repositoryLookup(
          model,
          tables,
          postgresAdapter(statements, drizzle({ client }), false, timing),
        ),
        client: { dialect: 'postgres', client },
        afterCommit: (callback) => callbacks.push(callback),
      };
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work(tx);
        if (ended) throw signal?.reason;
        await client.query('COMMIT');
      } catch (error) {
        await rollback();
        throw error;
      }
      // Outside the rollback's reach: what they follow has committed.
      for (const callback of callbacks) callback();
      return result;
    } finally {
      signal?.removeEventListener('abort', abort);
      client.removeListener('error', onError);
      client.release(broken);
    }
  };
}
