// The scale backend: a node-postgres pool. Mirrors sqlite/sqlite-database.ts.

import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { ModelDescription } from '../../model/table-description.ts';
import { createDatabase } from '../create-database.ts';
import type { Database } from '../database.ts';
import { createQueryTiming } from '../query-timing.ts';
import { buildDrizzleTables } from '../tables.ts';
import { postgresAdapter } from './postgres-statements.ts';
import { buildPostgresTable } from './postgres-tables.ts';
import { postgresTransaction } from './postgres-transactions.ts';

/**
 * How long a query waits for a pooled connection, a new connection included, before it fails
 * (503): a server that does not answer (a network cut, a full pool that never frees) holds no
 * request past it.
 */
export const POSTGRES_CONNECT_TIMEOUT = 5000;

export async function openPostgresDatabase(options: {
  url: string;
  displayUrl: string;
  model: ModelDescription;
}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT,
    // TCP keep-alive: a connection to a server that vanished is found dead, not waited on forever.
    keepAlive: true,
  });
  // An idle connection dropped by the server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = drizzle({ client: pool });
  const timing = createQueryTiming();
  const adapter = postgresAdapter(pool, db, true, timing);
  const tables = buildDrizzleTables(options.model, buildPostgresTable);
  return createDatabase({
    adapter,
    client: { dialect: 'postgres', pool },
    displayUrl: options.displayUrl,
    model: options.model,
    tables,
    transaction: postgresTransaction(pool, options.model, tables, timing),
    timing,
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      await pool.end();
    },
  });
}
