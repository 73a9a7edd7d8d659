// Drizzle sqliteTable objects built at run time from the dialect-free model.
// Mirrors postgres/postgres-tables.ts; dates and UUIDs are ISO text, booleans 0/1, JSON text.

import {
  type AnySQLiteTable,
  blob,
  index,
  integer,
  primaryKey,
  real,
  type SQLiteColumnBuilderBase,
  sqliteTable,
  text,
  unique,
} from 'drizzle-orm/sqlite-core';
import type { ColumnDescription, TableDescription } from '../../model/table-description.ts';
import { tableExtras, withDefaultAndReference } from '../table-shape.ts';

// biome-ignore lint/suspicious/noExplicitAny: column builders are assembled dynamically, their static types are not known.
type AnyBuilder = any;

function baseColumn(column: ColumnDescription): AnyBuilder {
  const { name } = column;
  switch (column.type) {
    case 'integer':
    case 'bigint':
      return integer(name);
    case 'real':
    case 'double':
      return real(name);
    case 'boolean':
      return integer(name, { mode: 'boolean' });
    case 'binary':
      return blob(name, { mode: 'buffer' });
    case 'json':
      return text(name, { mode: 'json' });
    default:
      // text, date, timestamp, uuid: ISO text keeps string order equal to time order.
      return text(name);
  }
}

function buildColumn(
  column: ColumnDescription,
  table: TableDescription,
  resolve: (tableName: string) => AnySQLiteTable,
): SQLiteColumnBuilderBase {
  let builder = baseColumn(column);
  const singlePk = table.primaryKey.length === 1 && column.primaryKey;
  if (singlePk) {
    // primaryKey() implies NOT NULL in Drizzle (SQLite would otherwise allow NULL in a text key).
    builder = builder.primaryKey(column.autoincrement ? { autoIncrement: true } : undefined);
  } else if (!column.nullable) {
    builder = builder.notNull();
  }
  return withDefaultAndReference(builder, column, resolve);
}

export function buildSqliteTable(
  table: TableDescription,
  resolve: (tableName: string) => AnySQLiteTable,
): AnySQLiteTable {
  const columns: Record<string, SQLiteColumnBuilderBase> = {};
  for (const column of table.columns) columns[column.name] = buildColumn(column, table, resolve);
  return sqliteTable(table.tableName, columns, (t: Record<string, AnyBuilder>) =>
    tableExtras(table, t, { primaryKey, unique, index }),
  ) as unknown as AnySQLiteTable;
}
