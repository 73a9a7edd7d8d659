// SqlExecutor on PostgreSQL: the pool, or the connection of an open transaction. Mirrors
// sqlite-executor.ts.

import type { Pool, PoolClient } from 'pg';
import type { SqlExecutor } from './sql-executor.ts';

/** `?` placeholders to `$1, $2, …` (job statements never hold a literal `?`). */
function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

const texts = new Map<string, string>();

function textOf(sql: string): string {
  let text = texts.get(sql);
  if (text === undefined) {
    text = numbered(sql);
    texts.set(sql, text);
  }
  return text;
}

export function postgresExecutor(client: Pool | PoolClient): SqlExecutor {
  return {
    dialect: 'postgres',
    async all(sql, params) {
      return (await client.query(textOf(sql), params as unknown[])).rows;
    },
    async run(sql, params) {
      return (await client.query(textOf(sql), params as unknown[])).rowCount ?? 0;
    },
  };
}
