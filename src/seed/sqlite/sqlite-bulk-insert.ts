// Bulk inserts on SQLite: multi-row VALUES under the 32,766 bound-parameter limit. A refused
// statement leaves the transaction usable (SQLite undoes only that statement), so the rows are
// then tried one at a time to name the one at fault. Mirrors postgres/postgres-bulk-insert.ts.

import type BetterSqlite3 from 'better-sqlite3';
import { mapSqliteError } from '../../db/sqlite/sqlite-errors.ts';
import {
  type BulkShape,
  type BulkWriter,
  quoteIdentifier,
  RowFailure,
  rowsPerStatement,
} from '../bulk-insert.ts';
import type { EncodedRow } from '../encode-row.ts';

/** SQLITE_MAX_VARIABLE_NUMBER of every SQLite since 3.32 (better-sqlite3 bundles a newer one). */
export const SQLITE_MAX_PARAMETERS = 32_766;

function statementText(shape: BulkShape, rows: number): string {
  const names = shape.columns.map((i) => quoteIdentifier(shape.table.columns[i]!.name));
  const tuple = `(${shape.columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${quoteIdentifier(shape.table.tableName)} (${names.join(', ')}) VALUES ${Array(
    rows,
  )
    .fill(tuple)
    .join(', ')} ON CONFLICT DO NOTHING`;
}

function bind(shape: BulkShape, rows: EncodedRow[], from: number, to: number): unknown[] {
  const values: unknown[] = [];
  for (let r = from; r < to; r += 1) {
    const row = rows[r]!;
    // An autoincrement key left out of this row: NULL makes SQLite generate it.
    for (const i of shape.columns) values.push(row[i] ?? null);
  }
  return values;
}

export function sqliteBulkInsert(sqlite: BetterSqlite3.Database): BulkWriter {
  return async (shape, rows) => {
    const step = rowsPerStatement(SQLITE_MAX_PARAMETERS, shape.columns.length);
    let full: BetterSqlite3.Statement | undefined;
    let inserted = 0;
    for (let from = 0; from < rows.length; from += step) {
      const to = Math.min(rows.length, from + step);
      const count = to - from;
      if (count === step && !full) full = sqlite.prepare(statementText(shape, step));
      const statement = count === step ? full! : sqlite.prepare(statementText(shape, count));
      try {
        inserted += statement.run(bind(shape, rows, from, to)).changes;
      } catch (error) {
        throw locate(sqlite, shape, rows, from, to, error);
      }
    }
    return inserted;
  };
}

/** The first row of [from, to) that fails alone, or the statement's own error. */
function locate(
  sqlite: BetterSqlite3.Database,
  shape: BulkShape,
  rows: EncodedRow[],
  from: number,
  to: number,
  error: unknown,
): unknown {
  const single = sqlite.prepare(statementText(shape, 1));
  for (let r = from; r < to; r += 1) {
    try {
      single.run(bind(shape, rows, r, r + 1));
    } catch (cause) {
      return new RowFailure(r, mapSqliteError(cause, shape.table));
    }
  }
  return mapSqliteError(error, shape.table);
}
