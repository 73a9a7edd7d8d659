// What a failed import says: the file and line of the record at fault (or the batch's range), why,
// and that the batch was rolled back. Lines are looked up only once something failed, by reading
// the file again: tracking them per record costs the import a tenth of its time and memory.

import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { type Info, parse } from 'csv-parse';
import { SEED_FAILED } from '../errors.ts';
import type { CsvRecord } from './import-csv.ts';

/** A record read from the file; `index` counts records from 1, after the header. */
export interface PendingRecord {
  record: CsvRecord;
  index: number;
}

/** A batch that failed, with the record at fault when one can be named. Becomes a SEED_FAILED. */
export class BatchFailure extends Error {
  constructor(
    readonly batch: PendingRecord[],
    readonly at: PendingRecord | undefined,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'BatchFailure';
  }
}

/** The same parser settings as the import, so records are counted alike. */
export const csvParser = (info: boolean) =>
  parse({ columns: true, bom: true, skip_empty_lines: true, trim: true, info });

/** The line each record of `indexes` ends on (a quoted field may span lines). */
async function linesOf(file: string, indexes: number[]): Promise<Map<number, number>> {
  const wanted = new Set(indexes);
  const last = Math.max(...indexes);
  const lines = new Map<number, number>();
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the CSV file `specstack seed` was given
  const parser = pipeline(createReadStream(file), csvParser(true), () => {});
  try {
    for await (const { info } of parser as AsyncIterable<{ info: Info }>) {
      if (wanted.has(info.records)) lines.set(info.records, info.lines);
      if (info.records >= last) break;
    }
  } catch {
    // The file changed or broke since: the message keeps the record numbers.
  } finally {
    parser.destroy();
  }
  return lines;
}

export async function describeFailure(file: string, failure: BatchFailure) {
  const name = path.basename(file);
  const { batch, at, cause } = failure;
  const first = batch[0]!;
  const end = batch.at(-1)!;
  const lines = await linesOf(file, at ? [at.index] : [first.index, end.index]);
  const line = (index: number) => lines.get(index) ?? '?';
  const undone = 'the next run resumes from the last committed batch';
  if (at) {
    const where = `${name}:${line(at.index)}`;
    return SEED_FAILED(
      `${where} (record ${at.index}): ${failure.message}; the batch holding it was rolled back, and ${undone}`,
      { pointer: where, details: { record: at.record, line: lines.get(at.index) }, cause },
    );
  }
  return SEED_FAILED(
    `${name} records ${first.index}-${end.index} (lines ${line(first.index)}-${line(end.index)}): ${failure.message}; the batch was rolled back, and ${undone}`,
    { pointer: `${name}:${line(first.index)}`, cause },
  );
}
