// importCsv through runSeed on every dialect: batches with one transaction each, progress lines,
// resuming after a failure or a stop, and files imported once however often the seed runs.

import { appendFileSync } from 'node:fs';
import { beforeEach, expect, it } from 'vitest';
import type { Transaction } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { deriveModel } from '../../src/model/derive-model.ts';
import type { CsvRecord } from '../../src/seed/import-csv.ts';
import { type RunSeedOptions, runSeed } from '../../src/seed/run-seed.ts';
import type { SeedContext } from '../../src/seed/seed-types.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  capturedProgress,
  csvFolder,
  MOVIES_APP,
  migrateMovies,
  movieLines,
} from './seed-support.ts';

const spec = await loadSpec(`${MOVIES_APP}/openapi.yaml`);
const model = deriveModel(spec.document, spec.file);

describeEachDialect('seed CSV import', (ctx) => {
  let url: string;
  let file: string;

  beforeEach(async () => {
    url = await ctx.createDatabaseUrl();
    await migrateMovies(url);
    file = csvFolder().write('movies.csv', ['movieId,title,genres', ...movieLines(10)]);
  });

  const seedWith = (seed: (context: SeedContext) => Promise<void>, options: RunSeedOptions = {}) =>
    runSeed({
      appDir: MOVIES_APP,
      env: {},
      overrides: { databaseUrl: url },
      seed,
      progress: capturedProgress().progress,
      ...options,
    });

  /** Inserts the movie unless it exists, recording which records it was called for. */
  const movieWriter =
    (seen: number[], failAt?: number) =>
    async (record: CsvRecord, tx: Transaction, index: number) => {
      seen.push(index);
      if (index === failAt) throw new Error('the disk is full');
      const movies = tx.repository('Movie');
      if (await movies.findByKey(Number(record.movieId))) return;
      await movies.insert({ id: Number(record.movieId), title: record.title, genres: [] });
    };

  const importMovies = (seen: number[], failAt?: number) => (context: SeedContext) =>
    context.importCsv({ name: 'movies', file, row: movieWriter(seen, failAt) }).then(() => {});

  async function movieIds(): Promise<number[]> {
    const db = await openDatabase({ url, model });
    try {
      const { rows } = await db.repository('Movie').list({ filters: {}, sort: [], limit: 1000 });
      return rows.map((row) => row.id as number);
    } finally {
      await db.close();
    }
  }

  it('imports in batches of the given size, printing a progress line per batch', async () => {
    const { progress, lines } = capturedProgress();
    await seedWith(importMovies([]), { batchSize: 4, progress });
    expect(await movieIds()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(lines).toEqual([
      expect.stringMatching(/^movies\.csv: 4 records \(\d+%\)$/),
      expect.stringMatching(/^movies\.csv: 8 records \(\d+%\)$/),
      expect.stringMatching(/^movies\.csv: done, 10 records in [\d.]+ s$/),
    ]);
  });

  it('hands whole batches to rows(), and names the batch when one fails', async () => {
    const batches: number[][] = [];
    const rows = async (records: CsvRecord[], tx: Transaction, first: number) => {
      batches.push(records.map((_, at) => first + at));
      if (first === 9) throw new Error('the disk is full');
      for (const record of records) {
        await tx
          .repository('Movie')
          .insert({ id: Number(record.movieId), title: record.title, genres: [] });
      }
    };
    const run = seedWith(
      (context) => context.importCsv({ name: 'movies', file, rows }).then(() => {}),
      {
        batchSize: 4,
      },
    );
    await expect(run).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_SEED',
      message: expect.stringContaining('movies.csv records 9-10 (lines 10-11): the disk is full'),
    });
    expect(batches).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    expect(await movieIds()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps the batches before a failing record, and resumes after them on the next run', async () => {
    const first: number[] = [];
    const failed = seedWith(importMovies(first, 7), { batchSize: 3 });
    await expect(failed).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_SEED',
      message: expect.stringContaining('movies.csv:8 (record 7): the disk is full'),
    });
    // Batches 1-3 and 4-6 committed; 7-9 rolled back with the failing record.
    expect(await movieIds()).toEqual([1, 2, 3, 4, 5, 6]);

    const second: number[] = [];
    const { progress, lines } = capturedProgress();
    await seedWith(importMovies(second), { batchSize: 3, progress });
    expect(second).toEqual([7, 8, 9, 10]);
    expect(lines[0]).toBe('movies.csv: resuming after record 6');
    expect(await movieIds()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('stops after the batch in hand when aborted, and the next run picks up from there', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const stopping = async (context: SeedContext) => {
      const result = await context.importCsv({
        name: 'movies',
        file,
        row: async (record, tx, index) => {
          if (index === 2) controller.abort();
          await movieWriter(seen)(record, tx, index);
        },
      });
      expect(result).toMatchObject({ stopped: true, imported: 4 });
    };
    await seedWith(stopping, { batchSize: 4, signal: controller.signal });
    expect(await movieIds()).toEqual([1, 2, 3, 4]);

    const rest: number[] = [];
    await seedWith(importMovies(rest), { batchSize: 4 });
    expect(rest).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it('reads an imported file only once however often the seed runs', async () => {
    await seedWith(importMovies([]));
    const again: number[] = [];
    const { progress, lines } = capturedProgress();
    await seedWith(importMovies(again), { progress });
    expect(again).toEqual([]);
    expect(lines).toEqual(['movies.csv: already imported (10 records), skipped']);
    expect(await movieIds()).toHaveLength(10);
  });

  it('imports a changed file from the start, without duplicating the rows it already has', async () => {
    await seedWith(importMovies([]));
    appendFileSync(file, `${movieLines(2, 11).join('\n')}\n`);
    const seen: number[] = [];
    const { progress, lines } = capturedProgress();
    await seedWith(importMovies(seen), { progress });
    expect(lines[0]).toContain('a different file');
    expect(seen).toHaveLength(12);
    expect(await movieIds()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('reports a malformed CSV with the file and line, writing nothing after it', async () => {
    const bad = csvFolder().write('broken.csv', [
      'movieId,title,genres',
      '1,"Fine (2000)",Drama',
      '2,"Unclosed (2001),Drama',
    ]);
    const seed = (context: SeedContext) =>
      context.importCsv({ name: 'broken', file: bad, row: movieWriter([]) }).then(() => {});
    await expect(seedWith(seed)).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_SEED',
      message: expect.stringMatching(/^broken\.csv: .*line/i),
    });
  });

  it('names a missing file', async () => {
    const seed = (context: SeedContext) =>
      context
        .importCsv({ name: 'x', file: '/nonexistent/x.csv', row: movieWriter([]) })
        .then(() => {});
    await expect(seedWith(seed)).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_SEED',
      message: expect.stringContaining('/nonexistent/x.csv'),
    });
  });

  it('refuses to seed a database with pending migrations', async () => {
    const empty = await ctx.createDatabaseUrl();
    const run = runSeed({
      appDir: MOVIES_APP,
      env: {},
      overrides: { databaseUrl: empty },
      seed: importMovies([]),
      progress: capturedProgress().progress,
    });
    await expect(run).rejects.toMatchObject({ code: 'SPECSTACK_ERR_MIGRATIONS_PENDING' });
  });
});
