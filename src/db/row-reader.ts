// Turns the rows a driver returns (arrays of raw column values) into API rows in one pass: one
// object per row, built with each column's conversion chosen once per statement, not per value.

import { type BuiltProperty, compileObjectBuilder } from '../codegen/object-builder.ts';
import type { ColumnDescription, TableDescription } from '../model/table-description.ts';
import type { Dialect, Row } from './database.ts';
import { normalizeTimestamp } from './value-codec.ts';

/** Which columns a reader leaves out: a response view of the table's schema. */
export interface RowView {
  /** Never in the row (writeOnly columns). */
  hidden: ReadonlySet<string>;
  /** Left out when NULL (optional properties whose schema does not allow null). */
  omitNull: ReadonlySet<string>;
}

export const FULL_VIEW: RowView = { hidden: new Set(), omitNull: new Set() };

/**
 * Where a row of an x-versioned table carries its version even in a view that hides the column:
 * a symbol, so neither JSON.stringify nor a serializer ever sends it.
 */
export const ROW_VERSION: unique symbol = Symbol('row version');

/** The version of a row read from an x-versioned table, or undefined for any other row. */
export function versionOf(row: Row): number | undefined {
  return (row as { [ROW_VERSION]?: number })[ROW_VERSION];
}

export type RowReader = (values: readonly unknown[]) => Row;

type Convert = (value: unknown) => unknown;

// Already `YYYY-MM-DDTHH:mm:ss.sssZ`, as specstack writes them: nothing to parse.
const CANONICAL_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function timestamp(value: unknown): unknown {
  if (typeof value !== 'string') return value instanceof Date ? value.toISOString() : value;
  return CANONICAL_TIMESTAMP.test(value) ? value : (normalizeTimestamp(value) ?? value);
}

/** The driver value -> API value conversion of a column, or undefined when there is none to do. */
function conversionOf(column: ColumnDescription, dialect: Dialect): Convert | undefined {
  switch (column.type) {
    case 'bigint':
      // node-postgres returns int8 as text.
      return dialect === 'postgres' ? (value) => Number(value) : undefined;
    case 'boolean':
      return dialect === 'sqlite' ? (value) => value === 1 : undefined;
    case 'timestamp':
      return timestamp;
    case 'date':
      return (value) =>
        typeof value === 'string'
          ? value.slice(0, 10)
          : value instanceof Date
            ? value.toISOString().slice(0, 10)
            : value;
    case 'binary':
      return (value) => (Buffer.isBuffer(value) ? value.toString('base64') : value);
    case 'json':
      // SQLite stores JSON as text; node-postgres parses jsonb itself.
      return (value) => (typeof value === 'string' ? JSON.parse(value) : value);
    default:
      return undefined;
  }
}

/**
 * A reader for rows whose values come in `columnNames` order. Columns the table does not have
 * (none, for the statements repositories prepare) are ignored.
 */
export function createRowReader(
  table: TableDescription,
  dialect: Dialect,
  columnNames: readonly string[],
  view: RowView = FULL_VIEW,
): RowReader {
  const positions = new Map(columnNames.map((name, index) => [name, index]));
  const properties: BuiltProperty<readonly unknown[]>[] = [];
  // Table order, not result order: every row of a table has the same property order. Built as
  // straight-line code (codegen/object-builder.ts): each store sees one name, as in a hand-written mapper.
  for (const column of table.columns) {
    const index = positions.get(column.name);
    if (index === undefined || view.hidden.has(column.name)) continue;
    properties.push({
      name: column.name,
      from: { index },
      convert: conversionOf(column, dialect),
      absent: view.omitNull.has(column.name) ? 'omit' : 'null',
    });
  }
  const read: RowReader = compileObjectBuilder(properties);
  const versionAt = table.version === undefined ? undefined : positions.get(table.version);
  if (versionAt === undefined) return read;
  return (values) => {
    const row = read(values) as Row & { [ROW_VERSION]?: number };
    row[ROW_VERSION] = Number(values[versionAt]);
    return row;
  };
}

/** An API row as `view` shows it: for rows read in full, then answered in a view. */
export function presentRow(row: Row, view: RowView): Row {
  const out: Row = {};
  for (const name of Object.keys(row)) {
    if (view.hidden.has(name)) continue;
    if (row[name] === null && view.omitNull.has(name)) continue;
    out[name] = row[name];
  }
  const version = versionOf(row);
  if (version !== undefined) (out as { [ROW_VERSION]?: number })[ROW_VERSION] = version;
  return out;
}
