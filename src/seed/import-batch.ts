// Writes one batch of CSV records inside its transaction, by whichever path the import chose: a row
// per record (`row`), the app's own bulk statement (`rows`), or the table's bulk insert (`into`).
// A failure names the file and line of the record at fault, or the batch's range when no single
// record can be blamed; the caller's transaction then rolls the whole batch back.

import path from 'node:path';
import type { Row, Transaction } from '../db/database.ts';
import { SEED_FAILED } from '../errors.ts';
import { insertRowsOrFail, RowFailure } from './bulk-insert.ts';
import type { CsvRecord, ImportCsvOptions } from './import-csv.ts';

/** A record read from the file: `index` counts records from 1, `line` is where it ends. */
export interface PendingRecord {
  record: CsvRecord;
  index: number;
  line: number;
}

const reasonOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

function recordFailed(options: ImportCsvOptions, pending: PendingRecord, cause: unknown) {
  const at = `${path.basename(options.file)}:${pending.line}`;
  return SEED_FAILED(
    `${at} (record ${pending.index}): ${reasonOf(cause)}; the batch holding it was rolled back, and the next run resumes from the last committed batch`,
    { pointer: at, details: { record: pending.record, line: pending.line }, cause },
  );
}

function batchFailed(options: ImportCsvOptions, batch: PendingRecord[], cause: unknown) {
  const file = path.basename(options.file);
  const first = batch[0]!;
  const last = batch.at(-1)!;
  return SEED_FAILED(
    `${file} records ${first.index}-${last.index} (lines ${first.line}-${last.line}): ${reasonOf(cause)}; the batch was rolled back, and the next run resumes from the last committed batch`,
    { pointer: `${file}:${first.line}`, cause },
  );
}

async function writeRows(options: ImportCsvOptions, batch: PendingRecord[], tx: Transaction) {
  const into = options.into!;
  const rows: Row[] = [];
  const sources: PendingRecord[] = [];
  for (const pending of batch) {
    let row: Row | undefined;
    try {
      row = options.transform ? options.transform(pending.record, pending.index) : pending.record;
    } catch (cause) {
      throw recordFailed(options, pending, cause);
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
    if (cause instanceof RowFailure) throw recordFailed(options, sources[cause.row]!, cause.cause);
    throw batchFailed(options, batch, cause);
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
      throw batchFailed(options, batch, cause);
    }
    return;
  }
  for (const pending of batch) {
    try {
      await options.row?.(pending.record, tx, pending.index);
    } catch (cause) {
      throw recordFailed(options, pending, cause);
    }
  }
}
