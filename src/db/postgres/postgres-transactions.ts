// Transactions on PostgreSQL: one pooled connection checked out for the work, with repositories
// bound to it. Mirrors sqlite/sqlite-transactions.ts.

import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { ModelDescription } from '../../model/table-description.ts';
import { repositoryLookup } from '../create-database.ts';
import type { Transaction } from '../database.ts';
import type { QueryTiming } from '../query-timing.ts';
import { postgresAdapter } from './postgres-statements.ts';

export function postgresTransaction(
  pool: pg.Pool,
  model: ModelDescription,
  tables: Record<string, unknown>,
  timing: QueryTiming,
): <T>(work: (tx: Transaction) => Promise<T>) => Promise<T> {
  return async (work) => {
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
    try {
      await client.query('BEGIN');
      const callbacks: (() => void)[] = [];
      const tx: Transaction = {
        dialect: 'postgres',
        repository: repositoryLookup(
          model,
          tables,
          postgresAdapter(client, drizzle({ client }), false, timing),
        ),
        client: { dialect: 'postgres', client },
        afterCommit: (callback) => callbacks.push(callback),
      };
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work(tx);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      }
      // Outside the rollback's reach: what they follow has committed.
      for (const callback of callbacks) callback();
      return result;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  };
}
