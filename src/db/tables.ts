// Drizzle table objects for every table of the model, keyed by SQL table name.
// db/ runs queries on them and migrate/ hands them to drizzle-kit to diff. Each dialect passes its
// own table builder, so a SQLite app never loads drizzle-orm/pg-core (and the reverse).

import type { AnyPgTable } from 'drizzle-orm/pg-core';
import type { AnySQLiteTable } from 'drizzle-orm/sqlite-core';
import { MODEL_INVALID } from '../errors.ts';
import type { ModelDescription, TableDescription } from '../model/table-description.ts';

export type DrizzleTable = AnySQLiteTable | AnyPgTable;

/** One dialect's builder of a table; foreign keys look their target up through `resolve`. */
export type TableBuilder<T extends DrizzleTable> = (
  table: TableDescription,
  resolve: (tableName: string) => T,
) => T;

export function buildDrizzleTables<T extends DrizzleTable>(
  model: ModelDescription,
  build: TableBuilder<T>,
): Record<string, T> {
  const tables: Record<string, T> = {};
  // Foreign keys resolve lazily through this lookup, so self-references and cycles work too.
  const resolve = (tableName: string) => {
    const found = tables[tableName];
    if (!found) throw MODEL_INVALID(`foreign key to unknown table "${tableName}"`);
    return found;
  };
  for (const table of model.tables) {
    tables[table.tableName] = build(table, resolve);
  }
  return tables;
}
