// The recommender on every dialect: lists that never hold a rated movie, cold start for new and
// light users, movie neighbours, one user's refresh, and a recompute cut short that leaves every
// list whole.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readSimilar,
  readStoredList,
  recomputeAll,
  refreshUser,
} from '../../examples/movies/lib/recommendations/index.ts';
import { queryRows } from '../../examples/movies/lib/sql.ts';
import type { Database } from '../../src/index.ts';
import { describeEachDialect } from '../support/databases.ts';
import { openFilled, SMALL, SMALL_MOVIES, usersByActivity } from './recommendations-support.ts';

const LIST = 20;

async function storedIds(db: Database, userId: number): Promise<number[]> {
  const rows = await queryRows<{ movie_id: number | string }>(
    db,
    'SELECT movie_id FROM recommendations WHERE user_id = ? ORDER BY rank',
    [userId],
  );
  return rows.map((row) => Number(row.movie_id));
}

async function ratedIds(db: Database, userId: number): Promise<Set<number>> {
  const rows = await queryRows<{ movie_id: number | string }>(
    db,
    'SELECT movie_id FROM ratings WHERE user_id = ?',
    [userId],
  );
  return new Set(rows.map((row) => Number(row.movie_id)));
}

async function addUser(db: Database, name: string): Promise<number> {
  const row = await db.repository('User').insert({
    email: `${name}@example.com`,
    name,
    password: '!unusable!',
  });
  return row.id as number;
}

async function rate(db: Database, userId: number, movieId: number, rating: number) {
  await db.repository('Rating').insert({ user_id: userId, movie_id: movieId, rating });
}

describeEachDialect('movie recommendations', (ctx) => {
  let db: Database;
  let userIds: number[];

  beforeAll(async () => {
    db = await openFilled(await ctx.createDatabaseUrl());
    userIds = usersByActivity();
    await recomputeAll(db, { listSize: LIST });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('stores a full list for every user, best first, without a movie they rated', async () => {
    for (const userId of userIds) {
      const list = await readStoredList(db, userId, LIST);
      expect(list).toHaveLength(LIST);
      const rated = await ratedIds(db, userId);
      for (const item of list) expect(rated.has(item.movie.id)).toBe(false);
      const scores = list.map((item) => item.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
  });

  it('explains a neighbour-based entry by a movie the user rated, with their rating', async () => {
    const userId = userIds[0]!;
    const [first] = await readStoredList(db, userId, 1);
    expect(first!.because).not.toBeNull();
    const rating = await queryRows<{ rating: number }>(
      db,
      'SELECT rating FROM ratings WHERE user_id = ? AND movie_id = ?',
      [userId, first!.because!.id],
    );
    expect(rating[0]!.rating).toBe(first!.because!.rating);
    expect(first!.reason).toBe(
      `because you rated Movie ${first!.because!.id} ${first!.because!.rating} stars`,
    );
    expect(first!.movie).toEqual({
      id: expect.any(Number),
      title: `Movie ${first!.movie.id}`,
      release_year: null,
      genres: SMALL_MOVIES.get(first!.movie.id)!.genres,
    });
  });

  describe('cold start', () => {
    it('gives a user with no ratings a full list of well-rated movies', async () => {
      const newcomer = await addUser(db, 'newcomer');
      const list = await refreshUser(db, newcomer, { listSize: LIST });
      expect(list).toHaveLength(LIST);
      expect(list!.every((entry) => entry.reason !== null)).toBe(true);
      expect((await storedIds(db, newcomer)).length).toBe(LIST);
    });

    it('leans towards the genres a light user rated highly', async () => {
      const genre = 'Crime';
      const crime = [...SMALL_MOVIES].filter(([, m]) => m.genres.includes(genre));
      const fan = await addUser(db, 'crime-fan');
      const newcomer = await addUser(db, 'genre-newcomer');
      await rate(db, fan, crime[0]![0], 5);
      await rate(db, fan, crime[1]![0], 4.5);
      const share = async (userId: number) => {
        const list = (await refreshUser(db, userId, { listSize: 10 }))!;
        return list.filter((e) => SMALL_MOVIES.get(e.movieId)!.genres.includes(genre)).length;
      };
      const fanShare = await share(fan);
      expect(fanShare).toBeGreaterThan(await share(newcomer));
      expect(fanShare).toBeGreaterThanOrEqual(5);
      const rated = await ratedIds(db, fan);
      for (const movieId of await storedIds(db, fan)) expect(rated.has(movieId)).toBe(false);
    });
  });

  describe('similar movies', () => {
    it('lists neighbours without the movie itself, with symmetric scores', async () => {
      const counts = new Map<number, number>();
      for (let k = 0; k < SMALL.ratings.length; k += 1) {
        const movie = SMALL.ratings.movies[k]!;
        counts.set(movie, (counts.get(movie) ?? 0) + 1);
      }
      const popular = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 10);
      let pairs = 0;
      let mutual = 0;
      for (const [movieId] of popular) {
        const similar = (await readSimilar(db, movieId, 10))!;
        expect(similar.length).toBe(10);
        expect(similar.map((s) => s.movie.id)).not.toContain(movieId);
        for (const near of similar) {
          pairs += 1;
          const back = (await readSimilar(db, near.movie.id, 50))!;
          const reverse = back.find((s) => s.movie.id === movieId);
          if (!reverse) continue;
          mutual += 1;
          expect(reverse.score).toBeCloseTo(near.score, 5);
        }
      }
      // Cosine is symmetric; a pair is missing one way only when the other movie has 50 closer.
      expect(mutual / pairs).toBeGreaterThan(0.5);
    });
  });

  describe('refreshing one user', () => {
    it('changes the list after new ratings and leaves the newly rated movies out', async () => {
      const userId = userIds[5]!;
      const before = await storedIds(db, userId);
      for (const movieId of before.slice(0, 3)) await rate(db, userId, movieId, 5);
      // Rated since the list was computed: already hidden when read.
      const read = (await readStoredList(db, userId, LIST)).map((item) => item.movie.id);
      expect(read).toEqual(before.slice(3));
      await refreshUser(db, userId, { listSize: LIST });
      const after = await storedIds(db, userId);
      expect(after).toHaveLength(LIST);
      expect(after).not.toEqual(before);
      for (const movieId of before.slice(0, 3)) expect(after).not.toContain(movieId);
      const rated = await ratedIds(db, userId);
      for (const movieId of after) expect(rated.has(movieId)).toBe(false);
    });

    it('answers undefined for a user who does not exist', async () => {
      expect(await refreshUser(db, 987_654)).toBeUndefined();
    });
  });

  describe('an interrupted recompute', () => {
    it('leaves every list whole: old before the cut, new after it', async () => {
      const before = new Map<number, number[]>();
      for (const userId of userIds) before.set(userId, await storedIds(db, userId));
      // Ratings that move many lists: everyone rates the first movie of their list.
      for (const userId of userIds) await rate(db, userId, before.get(userId)![0]!, 4);
      const controller = new AbortController();
      let batches = 0;
      const run = recomputeAll(db, {
        listSize: LIST,
        writeBatch: 5,
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.phase === 'users' && ++batches === 2) controller.abort();
        },
      });
      await expect(run).rejects.toThrow();
      let changed = 0;
      for (const userId of userIds) {
        const ids = await storedIds(db, userId);
        expect(ids).toHaveLength(LIST);
        expect(new Set(ids).size).toBe(LIST);
        if (ids.join() !== before.get(userId)!.join()) changed += 1;
        expect((await readStoredList(db, userId, LIST)).length).toBeGreaterThan(0);
      }
      // Two batches of five users were written before the cut; the rest kept their old lists.
      expect(changed).toBeLessThanOrEqual(10);
      expect(changed).toBeGreaterThan(0);
    });

    it('stopped before writing anything, changes nothing', async () => {
      const before = await storedIds(db, userIds[0]!);
      const controller = new AbortController();
      const run = recomputeAll(db, {
        listSize: LIST,
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.phase === 'ratings') controller.abort();
        },
      });
      await expect(run).rejects.toThrow();
      expect(await storedIds(db, userIds[0]!)).toEqual(before);
    });
  });
});
