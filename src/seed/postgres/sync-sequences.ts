// After rows were inserted with explicit keys, PostgreSQL's identity sequences still start at 1:
// the next generated key would collide. This moves each one past the largest key. SQLite's
// AUTOINCREMENT already tracks explicit keys, so it needs nothing.

import type pg from 'pg';
import type { ModelDescription } from '../../model/table-description.ts';

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

export async function syncPostgresSequences(pool: pg.Pool, model: ModelDescription): Promise<void> {
  for (const table of model.tables) {
    for (const column of table.columns.filter((c) => c.autoincrement)) {
      const t = quote(table.tableName);
      const c = quote(column.name);
      await pool.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${c}) FROM ${t}), 1), (SELECT max(${c}) FROM ${t}) IS NOT NULL)`,
        [t, column.name],
      );
    }
  }
}
