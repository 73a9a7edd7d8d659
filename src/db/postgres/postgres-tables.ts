// Drizzle pgTable objects built at run time from the dialect-free model.
// Mirrors sqlite/sqlite-tables.ts, with PostgreSQL's native types (timestamptz, uuid, jsonb, bytea).

import {
  type AnyPgColumn,
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
import { indexName, isScalarDefault, uniqueName } from '../table-names.ts';

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
  if (column.default !== undefined && column.default !== null) {
    // Scalars become SQL defaults (visible in migrations); JSON and binary are filled in by Drizzle on insert.
    builder = isScalarDefault(column)
      ? builder.default(column.default)
      : builder.$defaultFn(() => structuredClone(column.default));
  }
  const fk = column.foreignKey;
  if (fk) {
    builder = builder.references(
      () => (resolve(fk.table) as unknown as Record<string, AnyPgColumn>)[fk.column]!,
      fk.onDelete ? { onDelete: fk.onDelete } : {},
    );
  }
  return builder;
}

export function buildPostgresTable(
  table: TableDescription,
  resolve: (tableName: string) => AnyPgTable,
): AnyPgTable {
  const columns: Record<string, PgColumnBuilderBase> = {};
  for (const column of table.columns) columns[column.name] = buildColumn(column, table, resolve);
  return pgTable(table.tableName, columns, (t: Record<string, AnyBuilder>) => {
    const extras: AnyBuilder[] = [];
    if (table.primaryKey.length > 1) {
      extras.push(primaryKey({ columns: table.primaryKey.map((name) => t[name]) as [AnyBuilder] }));
    }
    for (const column of table.columns) {
      if (column.unique && !column.primaryKey) {
        extras.push(unique(uniqueName(table, column.name)).on(t[column.name]));
      }
      if (column.index) extras.push(index(indexName(table, column.name)).on(t[column.name]));
    }
    for (const ix of table.indexes) {
      const on = ix.columns.map((name) => t[name]) as [AnyBuilder, ...AnyBuilder[]];
      extras.push(ix.unique ? unique(ix.name).on(...on) : index(ix.name).on(...on));
    }
    return extras;
  }) as unknown as AnyPgTable;
}
