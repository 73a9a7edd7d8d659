// Writes one batch of CSV records inside its transaction, by whichever path the import chose: a row
// per record (`row`), the app's own bulk statement (`rows`), or the table's bulk insert (`into`).
// A failure is a BatchFailure naming the record at fault, or only the batch when no single record
// can be blamed; the caller's transaction then rolls the whole batch back.

import type { Row, Transaction } from '../db/database.ts';
import { insertRowsOrFail, RowFailure } from './bulk-insert.ts';
import type { ImportCsvOptions } from './import-csv.ts';
import { BatchFailure, type PendingRecord } from './import-errors.ts';

async function writeRows(options: ImportCsvOptions, batch: PendingRecord[], tx: Transaction) {
  const into = options.into!;
  const rows: Row[] = [];
  const sources: PendingRecord[] = [];
  for (const pending of batch) {
    let row: Row | undefined;
    try {
      row = options.transform ? options.transform(pending.record, pending.index) : pending.record;
    } catch (cause) {
      throw new BatchFailure(batch, pending, cause);
    }
    if (row === undefined) continue;
    rows.push(row);
    sources.push(pending);
  }
  if (rows.length === 0) return;
  try {
    await options.before?.(rows, tx, batch[0]!.index);
    await insertRowsOrFail(tx, into, rows);
  } catch (cause) {
    if (cause instanceof RowFailure) {
      throw new BatchFailure(batch, sources[cause.row]!, cause.cause);
    }
    throw new BatchFailure(batch, undefined, cause);
  }
}

export async function writeBatch(
  options: ImportCsvOptions,
  batch: PendingRecord[],
  tx: Transaction,
): Promise<void> {
  if (batch.length === 0) return;
  if (options.into) return writeRows(options, batch, tx);
  if (options.rows) {
    const records = batch.map((pending) => pending.record);
    try {
      await options.rows(records, tx, batch[0]!.index);
    } catch (cause) {
      throw new BatchFailure(batch, undefined, cause);
    }
    return;
  }
  for (const pending of batch) {
    try {
      await options.row?.(pending.record, tx, pending.index);
    } catch (cause) {
      throw new BatchFailure(batch, pending, cause);
    }
  }
}
