// Many rows into one table in as few statements as the driver's parameter limit allows, inside
// the caller's transaction: `INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING`, so a row a unique
// key already holds is left alone and an import can run twice. Rows are checked and encoded first
// (encode-row.ts); a failure names the row. One writer per dialect (sqlite/, postgres/).

import type { Row, Transaction } from '../db/database.ts';
import { SEED_FAILED } from '../errors.ts';
import type { TableDescription } from '../model/table-description.ts';
import { type EncodedRow, rowEncoder } from './encode-row.ts';
import { postgresBulkInsert } from './postgres/postgres-bulk-insert.ts';
import { sqliteBulkInsert } from './sqlite/sqlite-bulk-insert.ts';

/** The columns one statement writes: an autoincrement column only when some row gives it a value. */
export interface BulkShape {
  table: TableDescription;
  /** Indexes into table.columns. */
  columns: number[];
}

export interface BulkInsertResult {
  /** Rows written; the others were already held by a unique key. */
  inserted: number;
}

/** Writes encoded rows of one shape; throws RowFailure when it can tell which row the database refused. */
export type BulkWriter = (shape: BulkShape, rows: EncodedRow[]) => Promise<number>;

/** A failure of the row at `row` (an index into the rows given); `cause` is a SpecstackError. */
export class RowFailure extends Error {
  constructor(
    readonly row: number,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'RowFailure';
  }
}

export const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** How many rows fit in one statement under the driver's bound-parameter limit. */
export const rowsPerStatement = (limit: number, columns: number) =>
  Math.max(1, Math.floor(limit / Math.max(1, columns)));

function shapeOf(table: TableDescription, rows: EncodedRow[]): BulkShape {
  const columns: number[] = [];
  table.columns.forEach((column, i) => {
    if (!column.autoincrement || rows.some((row) => row[i] !== undefined)) columns.push(i);
  });
  return { table, columns };
}

function writerFor(tx: Transaction): BulkWriter {
  const client = tx.client;
  return client.dialect === 'sqlite'
    ? sqliteBulkInsert(client.sqlite)
    : postgresBulkInsert(client.client);
}

/**
 * Inserts `rows` (API values keyed by property, as repository.insert takes them) into the table of
 * `schemaName`, leaving alone rows whose unique keys exist. A refused row throws SEED_FAILED with
 * its index in `details.row` (its cause is the validation or constraint error); the transaction
 * must then roll back, as a failed statement leaves it.
 */
export async function insertRows(
  tx: Transaction,
  schemaName: string,
  rows: readonly Row[],
): Promise<BulkInsertResult> {
  try {
    return { inserted: await insertRowsOrFail(tx, schemaName, rows) };
  } catch (error) {
    if (!(error instanceof RowFailure)) throw error;
    throw SEED_FAILED(`${schemaName} row ${error.row}: ${error.message}`, {
      details: { row: error.row },
      cause: error.cause,
    });
  }
}

/** insertRows for callers that map the refused row themselves (importCsv names its file and line). */
export async function insertRowsOrFail(
  tx: Transaction,
  schemaName: string,
  rows: readonly Row[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const table = tx.repository(schemaName).table;
  const encode = rowEncoder(table, tx.dialect);
  const encoded = rows.map((row, i) => {
    try {
      return encode(row);
    } catch (cause) {
      throw new RowFailure(i, cause);
    }
  });
  return writerFor(tx)(shapeOf(table, encoded), encoded);
}
