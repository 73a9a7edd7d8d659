// Drizzle pgTable objects built at run time from the dialect-free model.
// Mirrors sqlite/sqlite-tables.ts, with PostgreSQL's native types (timestamptz, uuid, jsonb, bytea).

import {
  type AnyPgTable,
  bigint,
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  type PgColumnBuilderBase,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import type { ColumnDescription, TableDescription } from '../../model/table-description.ts';
import { tableExtras, withDefaultAndReference } from '../table-shape.ts';

// biome-ignore lint/suspicious/noExplicitAny: column builders are assembled dynamically, their static types are not known.
type AnyBuilder = any;

// drizzle-orm's pg-core has no bytea column; node-postgres already maps bytea to and from Buffer.
const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});

function baseColumn(column: ColumnDescription): AnyBuilder {
  const { name } = column;
  switch (column.type) {
    case 'integer':
      return integer(name);
    case 'bigint':
      return bigint(name, { mode: 'number' });
    case 'real':
      return real(name);
    case 'double':
      return doublePrecision(name);
    case 'text':
      return column.maxLength === undefined
        ? text(name)
        : varchar(name, { length: column.maxLength });
    case 'boolean':
      return boolean(name);
    case 'date':
      return date(name, { mode: 'string' });
    case 'timestamp':
      return timestamp(name, { withTimezone: true, mode: 'string' });
    case 'uuid':
      return uuid(name);
    case 'binary':
      return bytea(name);
    case 'json':
      return jsonb(name);
  }
}

function buildColumn(
  column: ColumnDescription,
  table: TableDescription,
  resolve: (tableName: string) => AnyPgTable,
): PgColumnBuilderBase {
  let builder = baseColumn(column);
  const singlePk = table.primaryKey.length === 1 && column.primaryKey;
  if (column.autoincrement) {
    // Identity rather than serial: the SQL-standard form PostgreSQL recommends, with the sequence
    // owned by the column. BY DEFAULT (not ALWAYS) still accepts an explicit key, as SQLite does.
    builder = builder.generatedByDefaultAsIdentity();
  }
  if (singlePk) builder = builder.primaryKey();
  else if (!column.nullable) builder = builder.notNull();
  return withDefaultAndReference(builder, column, resolve);
}

export function buildPostgresTable(
  table: TableDescription,
  resolve: (tableName: string) => AnyPgTable,
): AnyPgTable {
  const columns: Record<string, PgColumnBuilderBase> = {};
  for (const column of table.columns) columns[column.name] = buildColumn(column, table, resolve);
  return pgTable(table.tableName, columns, (t: Record<string, AnyBuilder>) =>
    tableExtras(table, t, { primaryKey, unique, index }),
  ) as unknown as AnyPgTable;
}
