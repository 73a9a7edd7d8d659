// The movies app's seed on every dialect: MovieLens files in, users created for the ratings, demo
// accounts that can log in, nothing duplicated by a second run, --if-empty, and keys still
// generated after rows were imported with explicit ones.

import { beforeEach, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { verifyPassword } from '../../src/index.ts';
import { deriveModel } from '../../src/model/derive-model.ts';
import { type RunSeedOptions, runSeed } from '../../src/seed/run-seed.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { describeEachDialect } from '../support/databases.ts';
import { capturedProgress, csvFolder, MOVIES_APP, migrateMovies } from './seed-support.ts';

const spec = await loadSpec(`${MOVIES_APP}/openapi.yaml`);
const model = deriveModel(spec.document, spec.file);

const MOVIES = [
  'movieId,title,genres',
  '1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy',
  '2,"Usual Suspects, The (1995)",Crime|Mystery|Thriller',
  '50,"Matrix, The (1999)",Action|Sci-Fi|Thriller',
  '51,Unknown Genres (2001),(no genres listed)',
];
const RATINGS = [
  'userId,movieId,rating,timestamp',
  '1,1,4.0,964982703',
  '1,50,5.0,964981247',
  '7,2,3.5,1445714835',
  '7,50,0.5,1445714990',
];

describeEachDialect('movies seed', (ctx) => {
  let url: string;
  let files: { movies: string; ratings: string };

  beforeEach(async () => {
    url = await ctx.createDatabaseUrl();
    await migrateMovies(url);
    const folder = csvFolder();
    files = {
      movies: folder.write('movies.csv', MOVIES),
      ratings: folder.write('ratings.csv', RATINGS),
    };
  });

  const seed = (options: RunSeedOptions = {}) =>
    runSeed({
      appDir: MOVIES_APP,
      env: {},
      overrides: { databaseUrl: url },
      args: files,
      progress: capturedProgress().progress,
      ...options,
    });

  async function withDb<T>(work: (db: Database) => Promise<T>): Promise<T> {
    const db = await openDatabase({ url, model });
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  }
  const all = (db: Database, schema: string) =>
    db
      .repository(schema)
      .list({ filters: {}, sort: [], limit: 1000 })
      .then((result) => result.rows);

  it('imports MovieLens titles, years and genres with their ids', async () => {
    await seed();
    const movies = await withDb((db) => all(db, 'Movie'));
    expect(
      movies.map(({ id, title, release_year, genres }) => ({ id, title, release_year, genres })),
    ).toEqual([
      {
        id: 1,
        title: 'Toy Story',
        release_year: 1995,
        genres: ['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy'],
      },
      {
        id: 2,
        title: 'The Usual Suspects',
        release_year: 1995,
        genres: ['Crime', 'Mystery', 'Thriller'],
      },
      { id: 50, title: 'The Matrix', release_year: 1999, genres: ['Action', 'Sci-Fi', 'Thriller'] },
      { id: 51, title: 'Unknown Genres', release_year: 2001, genres: [] },
    ]);
  });

  it('creates the users ratings.csv names, with unusable passwords, and keeps rating times', async () => {
    const result = await seed();
    expect(result.notice).toContain('demo@specstack.dev');
    await withDb(async (db) => {
      const users = await all(db, 'User');
      const synthetic = users.filter((u) => String(u.email).endsWith('@demo.invalid'));
      expect(synthetic.map((u) => u.email).sort()).toEqual([
        'user1@demo.invalid',
        'user7@demo.invalid',
      ]);
      for (const user of synthetic) {
        expect(await verifyPassword('', String(user.password))).toBe(false);
        expect(String(user.password)).not.toMatch(/^\$scrypt\$/);
      }
      const ratings = await all(db, 'Rating');
      expect(ratings).toHaveLength(4);
      const user7 = synthetic.find((u) => u.email === 'user7@demo.invalid')!;
      expect(ratings.find((r) => r.user_id === user7.id && r.movie_id === 50)).toMatchObject({
        rating: 0.5,
        created_at: new Date(1445714990 * 1000).toISOString(),
      });
    });
  });

  it('gives the users ratings.csv names its userId as their id, and the demo accounts the ids after them', async () => {
    await seed();
    await withDb(async (db) => {
      const users = await all(db, 'User');
      const byEmail = new Map(users.map((u) => [u.email, u.id]));
      expect(byEmail.get('user1@demo.invalid')).toBe(1);
      expect(byEmail.get('user7@demo.invalid')).toBe(7);
      expect(byEmail.get('admin@specstack.dev')).toBeGreaterThan(7);
      expect(byEmail.get('demo@specstack.dev')).toBeGreaterThan(7);
      const ratings = await all(db, 'Rating');
      expect(
        ratings
          .filter((r) => r.user_id === 7)
          .map((r) => r.movie_id)
          .sort(),
      ).toEqual([2, 50]);
      const signUp = await db.repository('User').insert({
        email: 'new@example.com',
        name: 'New',
        password: 'x'.repeat(12),
      });
      expect(signUp.id).toBeGreaterThan(7);
    });
  });

  it('refuses ratings for a userId that belongs to another account, importing none of its batch', async () => {
    await withDb(async (db) => {
      await db
        .repository('User')
        .insert({ id: 7, email: 'someone@example.com', name: 'Someone', password: 'x'.repeat(12) });
    });
    await expect(seed()).rejects.toMatchObject({ code: 'SPECSTACK_ERR_SEED' });
    await withDb(async (db) => {
      expect((await all(db, 'Rating')).filter((r) => r.user_id === 7)).toEqual([]);
    });
  });

  it('creates a demo admin and a demo user whose passwords work', async () => {
    await seed();
    await withDb(async (db) => {
      const users = await all(db, 'User');
      const admin = users.find((u) => u.email === 'admin@specstack.dev')!;
      const demo = users.find((u) => u.email === 'demo@specstack.dev')!;
      expect(admin.role).toBe('admin');
      expect(demo.role).toBe('user');
      expect(await verifyPassword('specstack-demo', String(demo.password))).toBe(true);
      expect(await verifyPassword('specstack-admin', String(admin.password))).toBe(true);
    });
  });

  it('duplicates nothing when run twice, even when its checkpoints are gone', async () => {
    await seed();
    const count = () =>
      withDb(async (db) => ({
        movies: (await all(db, 'Movie')).length,
        users: (await all(db, 'User')).length,
        ratings: (await all(db, 'Rating')).length,
      }));
    const first = await count();
    await seed();
    expect(await count()).toEqual(first);
    await withDb(async (db) => {
      if (db.client.dialect === 'sqlite')
        db.client.sqlite.exec('DELETE FROM specstack_seed_checkpoints');
      else await db.client.pool.query('DELETE FROM specstack_seed_checkpoints');
    });
    await seed();
    expect(await count()).toEqual(first);
  });

  it('with --if-empty, seeds an empty database and skips one that holds data', async () => {
    expect(await seed({ ifEmpty: true })).toMatchObject({ ran: true });
    expect(await seed({ ifEmpty: true })).toMatchObject({
      ran: false,
      skipped: 'the database already holds data',
      notice: expect.stringContaining('demo@specstack.dev'),
    });
  });

  it('with --if-empty, finishes a seed that was cut short', async () => {
    const broken = csvFolder().write('ratings.csv', [...RATINGS, '9,999,4.0,1']);
    await expect(seed({ args: { ...files, ratings: broken }, batchSize: 2 })).rejects.toMatchObject(
      {
        code: 'SPECSTACK_ERR_SEED',
      },
    );
    expect(await seed({ ifEmpty: true })).toMatchObject({ ran: true });
    const emails = await withDb(async (db) => (await all(db, 'User')).map((u) => u.email));
    expect(emails).toContain('demo@specstack.dev');
  });

  it('leaves generated keys working after importing explicit ones', async () => {
    await seed();
    await withDb(async (db) => {
      const created = await db.repository('Movie').insert({ title: 'New', genres: [] });
      expect(created.id).toBeGreaterThan(51);
    });
  });
});
