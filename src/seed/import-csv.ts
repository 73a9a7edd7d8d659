// Streams a CSV file into the database in batches: each batch is one transaction that also moves
// the file's checkpoint, so an interrupted import resumes after the last committed batch. The
// stream is pulled a batch at a time, so memory holds one batch whatever the file's size.

import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream';
import type { Database, Row, Transaction } from '../db/database.ts';
import { isSpecstackError, SEED_FAILED } from '../errors.ts';
import type { CheckpointStore } from './checkpoint-store.ts';
import { fileFingerprint } from './file-fingerprint.ts';
import { writeBatch } from './import-batch.ts';
import { BatchFailure, csvParser, describeFailure, type PendingRecord } from './import-errors.ts';
import type { ProgressReporter } from './progress.ts';

export const DEFAULT_BATCH_SIZE = 1000;

/** One CSV record keyed by the header's column names. */
export type CsvRecord = Record<string, string>;

export interface ImportCsvOptions {
  /** Names the checkpoint: `ratings`. An import resumes the checkpoint of its name, for the same file. */
  name: string;
  file: string;
  /**
   * The batch path: each record becomes a row of this x-tablename schema (`Rating`), written with
   * multi-row INSERTs that leave alone rows a unique key already holds, so a rerun duplicates
   * nothing. Values are checked against the columns (type, maxLength, enum, required) first.
   */
  into?: string;
  /**
   * For `into`: the row a record becomes, as repository.insert takes it (default: the record
   * itself). Throw to refuse the record (the import stops, naming its file and line); return
   * undefined to leave it out.
   */
  transform?(record: CsvRecord, index: number): Row | undefined;
  /**
   * For `into`: runs in the batch's transaction before its rows are written, e.g. to create the
   * rows they reference. `first` is the index of the batch's first record.
   */
  before?(rows: Row[], tx: Transaction, first: number): Promise<void>;
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

export async function importCsv(
  env: ImportEnvironment,
  options: ImportCsvOptions,
): Promise<ImportResult> {
  const { db, checkpoints, progress, signal } = env;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const label = path.basename(options.file);
  const paths = [options.into, options.rows, options.row].filter((given) => given !== undefined);
  if (paths.length !== 1) {
    throw SEED_FAILED(
      `importCsv "${options.name}" needs exactly one of into, rows and row (${paths.length} given)`,
    );
  }
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
  const commit = async (batch: PendingRecord[], done: boolean) => {
    await db.transaction(async (tx) => {
      await writeBatch(options, batch, tx);
      const records = batch.at(-1)?.index ?? committed;
      await checkpoints.write(tx, { name: options.name, fingerprint, records, done });
    });
    committed = batch.at(-1)?.index ?? committed;
    result.imported += batch.length;
  };

  // pipeline, not pipe: a read error ends the iteration below instead of leaving it waiting.
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the CSV file `specstack seed` was given
  const source = createReadStream(options.file);
  const parser = pipeline(source, csvParser(false), () => {});
  let index = 0;
  let batch: PendingRecord[] = [];
  let finished = false;
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) {
      index += 1;
      if (index <= result.resumedFrom) continue;
      batch.push({ record, index });
      if (batch.length < batchSize) continue;
      await commit(batch, false);
      batch = [];
      task.update(source.bytesRead, committed);
      if (signal?.aborted) {
        result.stopped = true;
        break;
      }
    }
    if (!result.stopped) await commit(batch, true);
    finished = !result.stopped;
  } catch (error) {
    if (error instanceof BatchFailure) throw await describeFailure(options.file, error);
    if (isSpecstackError(error)) throw error;
    // The CSV itself is malformed; csv-parse names the line.
    throw SEED_FAILED(`${label}: ${(error as Error).message}`, { cause: error });
  } finally {
    parser.destroy();
    task.finish(committed, finished ? 'done' : 'stopped');
  }
  return result;
}
