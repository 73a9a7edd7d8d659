// Many rows into one table inside the caller's transaction, each with `ON CONFLICT DO NOTHING`, so
// a row a unique key already holds is left alone and an import can run twice. Rows are checked and
// encoded first (encode-row.ts); a failure names the row. One writer per dialect (sqlite/: a
// prepared statement per row; postgres/: one multi-row INSERT from unnest() per 10k rows).

import type { Row, Transaction } from '../db/database.ts';
import { SEED_FAILED } from '../errors.ts';
import type { TableDescription } from '../model/table-description.ts';
import { type EncodedRow, rowEncoder } from './encode-row.ts';
import { postgresBulkInsert } from './postgres/postgres-bulk-insert.ts';
import { sqliteBulkInsert } from './sqlite/sqlite-bulk-insert.ts';

/** The columns one statement writes: an autoincrement column only when the rows give it a value. */
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

/** The columns a row writes: every column but an autoincrement one it leaves to the database. */
function columnsOf(table: TableDescription, row: EncodedRow): number[] {
  const columns: number[] = [];
  table.columns.forEach((column, i) => {
    if (!column.autoincrement || row[i] !== undefined) columns.push(i);
  });
  return columns;
}

/**
 * Writes runs of consecutive rows of one shape (usually one run: every row gives its key, or
 * none does), in order, so that of two rows with the same unique key the first still wins.
 */
async function writeRuns(write: BulkWriter, table: TableDescription, rows: EncodedRow[]) {
  const auto = table.columns.flatMap((column, i) => (column.autoincrement ? [i] : []));
  const signature = (row: EncodedRow) => auto.map((i) => (row[i] === undefined ? 0 : 1)).join('');
  let inserted = 0;
  for (let from = 0; from < rows.length; ) {
    const kind = signature(rows[from]!);
    let to = from + 1;
    while (to < rows.length && signature(rows[to]!) === kind) to += 1;
    const run = from === 0 && to === rows.length ? rows : rows.slice(from, to);
    try {
      inserted += await write({ table, columns: columnsOf(table, run[0]!) }, run);
    } catch (error) {
      throw error instanceof RowFailure ? new RowFailure(from + error.row, error.cause) : error;
    }
    from = to;
  }
  return inserted;
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
  return writeRuns(writerFor(tx), table, encoded);
}
