// The scale backend: a node-postgres pool. Reused statements are named, so each pooled connection
// parses and plans them once. Mirrors sqlite/sqlite-database.ts.

import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { ModelDescription } from '../../model/table-description.ts';
import { createDatabase } from '../create-database.ts';
import type { Database } from '../database.ts';
import type { DialectAdapter, PreparedStatement } from '../dialect-adapter.ts';
import { buildDrizzleTables } from '../tables.ts';
import { mapPostgresError } from './postgres-errors.ts';
import { postgresTransaction } from './postgres-transactions.ts';

let statementCounter = 0;

/** Names are per connection and at most 63 bytes; a process-wide counter keeps them unique and short. */
function nextStatementName(): string {
  statementCounter += 1;
  return `specstack_${statementCounter}`;
}

export async function openPostgresDatabase(options: {
  url: string;
  displayUrl: string;
  model: ModelDescription;
}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: options.url });
  // An idle connection dropped by the server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = drizzle({ client: pool });
  const adapter: DialectAdapter = {
    dialect: 'postgres',
    db,
    prepare(query, reusable) {
      const prepared = (
        query as { prepare(name?: string): { execute(params: unknown): Promise<unknown> } }
      ).prepare(reusable ? nextStatementName() : undefined);
      const statement: PreparedStatement = async (params) =>
        (await prepared.execute(params)) as Record<string, unknown>[];
      return statement;
    },
    mapError: mapPostgresError,
  };
  const tables = buildDrizzleTables(options.model, 'postgres');
  return createDatabase({
    adapter,
    client: { dialect: 'postgres', pool },
    displayUrl: options.displayUrl,
    model: options.model,
    tables,
    transaction: postgresTransaction(pool, options.model, tables),
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      await pool.end();
    },
  });
}
