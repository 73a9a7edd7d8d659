// Streams a CSV file into the database in batches: each batch is one transaction that also moves
// the file's checkpoint, so an interrupted import resumes after the last committed batch.

import { createReadStream } from 'node:fs';
import path from 'node:path';
import { type Info, parse } from 'csv-parse';
import type { Database, Transaction } from '../db/database.ts';
import { isSpecstackError, SEED_FAILED } from '../errors.ts';
import type { CheckpointStore } from './checkpoint-store.ts';
import { fileFingerprint } from './file-fingerprint.ts';
import type { ProgressReporter } from './progress.ts';

export const DEFAULT_BATCH_SIZE = 1000;

/** One CSV record keyed by the header's column names. */
export type CsvRecord = Record<string, string>;

export interface ImportCsvOptions {
  /** Names the checkpoint: `ratings`. An import resumes the checkpoint of its name, for the same file. */
  name: string;
  file: string;
  /** Writes one record, inside its batch's transaction. `index` counts records from 1. */
  row?(record: CsvRecord, tx: Transaction, index: number): Promise<void>;
  /**
   * Writes a whole batch at once, inside its transaction (instead of `row`): for bulk statements.
   * `first` is the index of the batch's first record.
   */
  rows?(records: CsvRecord[], tx: Transaction, first: number): Promise<void>;
  /** Records per transaction. */
  batchSize?: number;
}

export interface ImportEnvironment {
  db: Database;
  checkpoints: CheckpointStore;
  progress: ProgressReporter;
  signal?: AbortSignal;
}

export interface ImportResult {
  name: string;
  /** Records written by this run. */
  imported: number;
  /** Records a previous run had committed, skipped by this one. */
  resumedFrom: number;
  /** The file was already imported completely: nothing was read. */
  alreadyDone: boolean;
  /** The run stopped early on the abort signal; the checkpoint holds its place. */
  stopped: boolean;
}

interface Pending {
  record: CsvRecord;
  index: number;
}

function batchFailed(options: ImportCsvOptions, batch: Pending[], cause: unknown) {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const file = path.basename(options.file);
  const first = batch[0]?.index ?? 0;
  const last = batch.at(-1)?.index ?? first;
  return SEED_FAILED(
    `${file} records ${first}-${last}: ${reason}; the batch was rolled back, and the next run resumes from the last committed batch`,
    { pointer: `${file}#${first}`, cause },
  );
}

function rowFailed(options: ImportCsvOptions, pending: Pending, cause: unknown) {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const file = path.basename(options.file);
  return SEED_FAILED(
    `${file} record ${pending.index}: ${reason}; the batch holding it was rolled back, and the next run resumes from the last committed batch`,
    { pointer: `${file}#${pending.index}`, details: { record: pending.record }, cause },
  );
}

export async function importCsv(
  env: ImportEnvironment,
  options: ImportCsvOptions,
): Promise<ImportResult> {
  const { db, checkpoints, progress, signal } = env;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const label = path.basename(options.file);
  let identity: Awaited<ReturnType<typeof fileFingerprint>>;
  try {
    identity = await fileFingerprint(options.file);
  } catch (cause) {
    throw SEED_FAILED(`cannot read ${options.file}: ${(cause as Error).message}`, { cause });
  }
  const { fingerprint } = identity;
  const previous = await checkpoints.read(options.name);
  const same = previous?.fingerprint === fingerprint;
  const result: ImportResult = {
    name: options.name,
    imported: 0,
    resumedFrom: same ? previous.records : 0,
    alreadyDone: same && previous.done,
    stopped: false,
  };
  if (result.alreadyDone) {
    progress.log(`${label}: already imported (${previous?.records} records), skipped`);
    return result;
  }
  if (result.resumedFrom > 0) {
    progress.log(`${label}: resuming after record ${result.resumedFrom}`);
  } else if (previous && !same) {
    progress.log(
      `${label}: a different file than the last import of "${options.name}": starting over`,
    );
  }

  const task = progress.start(label, identity.size);
  let committed = result.resumedFrom;
  const commit = async (batch: Pending[], done: boolean) => {
    await db.transaction(async (tx) => {
      if (options.rows) {
        try {
          if (batch.length > 0) {
            await options.rows(
              batch.map((pending) => pending.record),
              tx,
              batch[0]!.index,
            );
          }
        } catch (cause) {
          throw batchFailed(options, batch, cause);
        }
      } else {
        for (const pending of batch) {
          try {
            await options.row?.(pending.record, tx, pending.index);
          } catch (cause) {
            throw rowFailed(options, pending, cause);
          }
        }
      }
      const records = batch.at(-1)?.index ?? committed;
      await checkpoints.write(tx, { name: options.name, fingerprint, records, done });
    });
    committed = batch.at(-1)?.index ?? committed;
    result.imported += batch.length;
  };

  const parser = createReadStream(options.file).pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, trim: true, info: true }),
  );
  let batch: Pending[] = [];
  let finished = false;
  try {
    for await (const item of parser as AsyncIterable<{ record: CsvRecord; info: Info }>) {
      const { info } = item;
      const index = info.records;
      if (index <= result.resumedFrom) continue;
      batch.push({ record: item.record, index });
      if (batch.length < batchSize) continue;
      await commit(batch, false);
      batch = [];
      task.update(info.bytes, committed);
      if (signal?.aborted) {
        result.stopped = true;
        break;
      }
    }
    if (!result.stopped) await commit(batch, true);
    finished = !result.stopped;
  } catch (error) {
    if (isSpecstackError(error)) throw error;
    // The CSV itself is malformed; csv-parse names the line.
    throw SEED_FAILED(`${label}: ${(error as Error).message}`, { cause: error });
  } finally {
    parser.destroy();
    task.finish(committed, finished ? 'done' : 'stopped');
  }
  return result;
}
