// Drizzle table objects for every table of the model, keyed by SQL table name.
// db/ runs queries on them and migrate/ hands them to drizzle-kit to diff.

import type { AnyPgTable } from 'drizzle-orm/pg-core';
import type { AnySQLiteTable } from 'drizzle-orm/sqlite-core';
import { MODEL_INVALID } from '../errors.ts';
import type { ModelDescription } from '../model/table-description.ts';
import type { Dialect } from './database.ts';
import { buildPostgresTable } from './postgres/postgres-tables.ts';
import { buildSqliteTable } from './sqlite/sqlite-tables.ts';

export type DrizzleTable = AnySQLiteTable | AnyPgTable;

export function buildDrizzleTables(
  model: ModelDescription,
  dialect: Dialect,
): Record<string, AnySQLiteTable | AnyPgTable> {
  const tables: Record<string, DrizzleTable> = {};
  // Foreign keys resolve lazily through this lookup, so self-references and cycles work too.
  const resolve = (tableName: string) => {
    const found = tables[tableName];
    if (!found) throw MODEL_INVALID(`foreign key to unknown table "${tableName}"`);
    return found;
  };
  for (const table of model.tables) {
    tables[table.tableName] =
      dialect === 'sqlite'
        ? buildSqliteTable(table, resolve as (name: string) => AnySQLiteTable)
        : buildPostgresTable(table, resolve as (name: string) => AnyPgTable);
  }
  return tables;
}
