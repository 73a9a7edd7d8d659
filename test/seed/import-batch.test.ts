// importCsv's batch path (`into`) and insertRows on every dialect: every row stored once, reruns
// and resumed runs that duplicate nothing, a bad record named by file and line with its whole batch
// rolled back, values checked against the spec's columns, and keys generated after explicit ones.

import { beforeEach, expect, it } from 'vitest';
import type { Database, Row } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { deriveModel } from '../../src/model/derive-model.ts';
import { insertRows } from '../../src/seed/bulk-insert.ts';
import type { CsvRecord, ImportCsvOptions } from '../../src/seed/import-csv.ts';
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

const movieRow = (record: CsvRecord): Row => ({
  id: record.movieId,
  title: record.title,
  genres: (record.genres ?? '').split('|'),
});

describeEachDialect('seed batch import', (ctx) => {
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

  const importMovies =
    (extra: Partial<ImportCsvOptions> = {}, from = file) =>
    (context: SeedContext) =>
      context
        .importCsv({ name: 'movies', file: from, into: 'Movie', transform: movieRow, ...extra })
        .then(() => {});

  async function withDb<T>(work: (db: Database) => Promise<T>): Promise<T> {
    const db = await openDatabase({ url, model });
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  }
  const rowsOf = (schema: string) =>
    withDb(async (db) => {
      const { rows } = await db.repository(schema).list({ filters: {}, sort: [], limit: 1000 });
      return rows;
    });
  const movieIds = async () => (await rowsOf('Movie')).map((row) => row.id);

  it('stores every record once, with its values coerced and its created_at stamped', async () => {
    await seedWith(importMovies(), { batchSize: 4 });
    const movies = await rowsOf('Movie');
    expect(movies.map((m) => m.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(movies[1]).toMatchObject({
      id: 2,
      title: 'Film 2, The (1992)',
      genres: ['Drama', 'Comedy'],
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
  });

  it('duplicates nothing when run again, even with its checkpoints gone', async () => {
    await seedWith(importMovies());
    await seedWith(importMovies());
    await withDb(async (db) => {
      if (db.client.dialect === 'sqlite') {
        db.client.sqlite.exec('DELETE FROM specstack_seed_checkpoints');
      } else await db.client.pool.query('DELETE FROM specstack_seed_checkpoints');
    });
    await seedWith(importMovies());
    expect(await movieIds()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('resumes after a failed batch from the checkpoint, without duplicating a row', async () => {
    const failing = importMovies({
      transform: (record, index) => {
        if (index === 7) throw new Error('the disk is full');
        return movieRow(record);
      },
    });
    await expect(seedWith(failing, { batchSize: 3 })).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_SEED',
      message: expect.stringContaining('movies.csv:8 (record 7): the disk is full'),
    });
    expect(await movieIds()).toEqual([1, 2, 3, 4, 5, 6]);

    const seen: number[] = [];
    const { progress, lines } = capturedProgress();
    const resumed = importMovies({
      transform: (record, index) => {
        seen.push(index);
        return movieRow(record);
      },
    });
    await seedWith(resumed, { batchSize: 3, progress });
    expect(lines[0]).toBe('movies.csv: resuming after record 6');
    expect(seen).toEqual([7, 8, 9, 10]);
    expect(await movieIds()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('names the file and line of a value too long for its column, storing none of its batch', async () => {
    const long = 'x'.repeat(301);
    const bad = csvFolder().write('movies.csv', [
      'movieId,title,genres',
      '1,"Two',
      'Lines (2000)",Drama',
      '2,Fine (2001),Drama',
      '3,Fine (2002),Drama',
      `4,${long},Drama`,
      '5,Fine (2003),Drama',
    ]);
    await expect(seedWith(importMovies({}, bad), { batchSize: 3 })).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_SEED',
      pointer: 'movies.csv:6',
      message: expect.stringContaining(
        'movies.csv:6 (record 4): title: must be at most 300 characters long',
      ),
    });
    expect(await movieIds()).toEqual([1, 2, 3]);
  });

  it('names the line of a record the database refuses (a missing movie), rolling back its batch', async () => {
    const ratings = csvFolder().write('ratings.csv', [
      'userId,movieId,rating',
      '1,1,4.0',
      '1,2,3.5',
      '1,999,5.0',
      '1,3,2.0',
    ]);
    const seed = async (context: SeedContext) => {
      await importMovies()(context);
      await context.importCsv({
        name: 'ratings',
        file: ratings,
        into: 'Rating',
        transform: (record) => ({
          user_id: record.userId,
          movie_id: record.movieId,
          rating: record.rating,
        }),
        before: async (_rows, tx) => {
          await insertRows(tx, 'User', [
            { id: 1, email: 'one@example.com', name: 'One', password: 'x'.repeat(12) },
          ]);
        },
      });
    };
    await expect(seedWith(seed)).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_SEED',
      message: expect.stringContaining('ratings.csv:4 (record 3)'),
    });
    expect(await rowsOf('Rating')).toEqual([]);
    expect(await rowsOf('User')).toEqual([]);
  });

  it('refuses a value outside its enum, a missing required value and an unknown property', async () => {
    const attempt = (row: Row) =>
      withDb((db) => db.transaction((tx) => insertRows(tx, 'User', [row])));
    const user = { email: 'a@example.com', name: 'A', password: 'x'.repeat(12) };
    await expect(attempt({ ...user, role: 'owner' })).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_SEED',
      message: expect.stringMatching(/^User row 0: role: must be one of "user", "admin"/),
      details: { row: 0 },
    });
    await expect(attempt({ ...user, name: null })).rejects.toMatchObject({
      message: expect.stringContaining('name: must be given'),
    });
    await expect(attempt({ ...user, nmae: 'typo' })).rejects.toMatchObject({
      message: expect.stringContaining('nmae: User has no such column'),
    });
    expect(await rowsOf('User')).toEqual([]);
  });

  it('leaves rows a unique key holds alone, counting only those it wrote', async () => {
    const rows = [
      { id: 1, email: 'a@example.com', name: 'A', password: 'x'.repeat(12) },
      { id: 2, email: 'b@example.com', name: 'B', password: 'x'.repeat(12) },
    ];
    await withDb((db) => db.transaction((tx) => insertRows(tx, 'User', rows.slice(0, 1))));
    const renamed = rows.map((row) => ({ ...row, name: `${row.name} again` }));
    const result = await withDb((db) => db.transaction((tx) => insertRows(tx, 'User', renamed)));
    expect(result).toEqual({ inserted: 1 });
    expect((await rowsOf('User')).map((u) => u.name)).toEqual(['A', 'B again']);
  });

  it('generates keys after explicit ones, for rows without a key and for later inserts', async () => {
    await seedWith(importMovies());
    await withDb(async (db) => {
      await db.transaction((tx) =>
        insertRows(tx, 'Movie', [
          { id: 20, title: 'Explicit', genres: [] },
          { title: 'Generated', genres: [] },
        ]),
      );
      const generated = await db.repository('Movie').list({
        filters: { title: 'Generated' },
        sort: [],
        limit: 1,
      });
      expect(generated.rows[0]!.id).toBeGreaterThan(20);
      const later = await db.repository('Movie').insert({ title: 'Later', genres: [] });
      expect(later.id).toBeGreaterThan(generated.rows[0]!.id as number);
    });
  });

  it('asks for exactly one of into, rows and row', async () => {
    const seed = (context: SeedContext) =>
      context.importCsv({ name: 'movies', file }).then(() => {});
    await expect(seedWith(seed)).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_SEED',
      message: expect.stringContaining('needs exactly one of into, rows and row'),
    });
  });
});
