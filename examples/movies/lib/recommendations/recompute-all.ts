// The full recompute the `recommendations` job runs: ratings streamed into typed arrays, each
// movie's neighbours, the cold-start ranking, then every user's list. Writes go in batches, one
// transaction each, and each movie's or user's rows are replaced inside one: an interrupted run
// leaves every list either as it was or fully new.

import type { Database } from 'specstack';
import { genresOf, queryRows } from '../sql.ts';
import { type PopularMovie, rankPopular } from './cold-start.ts';
import { computeItemNeighbours, type ItemNeighbours } from './item-neighbours.ts';
import { loadRatings } from './load-ratings.ts';
import { type RecommenderOptions, settings } from './options.ts';
import type { RatingMatrix } from './rating-matrix.ts';
import { readPopular } from './read-lists.ts';
import { UserScorer } from './score-user.ts';
import {
  type NeighbourList,
  removeNeighboursOfUnrated,
  type UserList,
  writeNeighbourLists,
  writePopular,
  writeUserLists,
} from './store-lists.ts';
import { userList } from './user-list.ts';
import { yieldToEventLoop } from './yield.ts';

export type RecomputePhase = 'ratings' | 'neighbours' | 'similar' | 'users';

export interface RecomputeProgress {
  phase: RecomputePhase;
  done: number;
  /** Unknown (0) while ratings are still being read. */
  total: number;
}

export interface RecomputeOptions extends RecommenderOptions {
  /** Stops the run before its next batch; what was committed stays, and the promise rejects. */
  signal?: AbortSignal;
  onProgress?: (progress: RecomputeProgress) => void;
}

export interface RecomputeResult {
  ratings: number;
  movies: number;
  users: number;
  /** Users below the rating threshold, given the cold-start ranking. */
  coldStartUsers: number;
  durationMs: number;
}

/** id -> column, read by keyset pages of a small table (users, movies). */
async function readKeyed<T>(
  db: Database,
  table: 'users' | 'movies',
  column: string,
  pageSize: number,
  read: (id: number, value: unknown) => T,
): Promise<T[]> {
  const result: T[] = [];
  let after = 0;
  for (;;) {
    const rows = await queryRows<{ id: number | string; value: unknown }>(
      db,
      `SELECT id, ${column} AS value FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`,
      [after, pageSize],
    );
    for (const row of rows) result.push(read(Number(row.id), row.value));
    if (rows.length < pageSize) return result;
    after = Number(rows.at(-1)!.id);
  }
}

function movieTotals(matrix: RatingMatrix) {
  const items = matrix.movieIds.length;
  const counts = new Int32Array(items);
  const sums = new Float64Array(items);
  for (let i = 0; i < items; i += 1) {
    counts[i] = matrix.itemOffsets[i + 1]! - matrix.itemOffsets[i]!;
    for (let k = matrix.itemOffsets[i]!; k < matrix.itemOffsets[i + 1]!; k += 1) {
      sums[i]! += matrix.itemRatings[k]!;
    }
  }
  return { movieIds: matrix.movieIds, counts, sums };
}

function neighbourList(matrix: RatingMatrix, neighbours: ItemNeighbours, i: number): NeighbourList {
  const list: NeighbourList = { movieId: matrix.movieIds[i]!, neighbours: [] };
  for (let n = neighbours.offsets[i]!; n < neighbours.offsets[i + 1]!; n += 1) {
    list.neighbours.push({
      movieId: matrix.movieIds[neighbours.items[n]!]!,
      score: neighbours.scores[n]!,
    });
  }
  return list;
}

export async function recomputeAll(
  db: Database,
  options: RecomputeOptions = {},
): Promise<RecomputeResult> {
  const config = settings(options);
  const { signal, onProgress } = options;
  const started = performance.now();

  const matrix = await loadRatings(db, {
    pageSize: config.pageSize,
    signal,
    onPage: (done) => onProgress?.({ phase: 'ratings', done, total: 0 }),
  });
  const itemCount = matrix.movieIds.length;
  const neighbours = await computeItemNeighbours(matrix, {
    neighbours: config.neighbours,
    signal,
    onProgress: (done, total) => onProgress?.({ phase: 'neighbours', done, total }),
  });
  const genres = new Map(
    await readKeyed(db, 'movies', 'genres', config.pageSize, (id, value) => [id, genresOf(value)]),
  );
  const genresOfMovie = (movieId: number) => genres.get(movieId) ?? [];
  let popular: PopularMovie[] = rankPopular(movieTotals(matrix), genresOfMovie, {
    priorWeight: config.priorWeight,
    limit: config.popularCandidates,
  });
  if (popular.length === 0)
    popular = await readPopular(db, { ...config, limit: config.popularCandidates });

  for (let from = 0; from < itemCount; from += config.writeBatch) {
    signal?.throwIfAborted();
    const to = Math.min(itemCount, from + config.writeBatch);
    const lists: NeighbourList[] = [];
    for (let i = from; i < to; i += 1) lists.push(neighbourList(matrix, neighbours, i));
    await db.transaction((tx) => writeNeighbourLists(tx, lists));
    onProgress?.({ phase: 'similar', done: to, total: itemCount });
    await yieldToEventLoop();
  }
  signal?.throwIfAborted();
  await db.transaction(async (tx) => {
    await removeNeighboursOfUnrated(tx);
    await writePopular(tx, popular);
  });

  const userIds = await readKeyed(db, 'users', 'id', config.pageSize, (id) => id);
  const userIndex = new Map<number, number>();
  for (let u = 0; u < matrix.userIds.length; u += 1) userIndex.set(matrix.userIds[u]!, u);
  const scorer = new UserScorer(itemCount, neighbours, config.listSize);
  const noRatings = { items: new Int32Array(0), ratings: new Float32Array(0), start: 0, end: 0 };
  const movieIdOf = (item: number) => matrix.movieIds[item]!;
  let coldStartUsers = 0;
  for (let from = 0; from < userIds.length; from += config.writeBatch) {
    signal?.throwIfAborted();
    const computedAt = config.now().toISOString();
    const lists: UserList[] = userIds.slice(from, from + config.writeBatch).map((userId) => {
      const u = userIndex.get(userId);
      const ratings =
        u === undefined
          ? noRatings
          : {
              items: matrix.userItems,
              ratings: matrix.userRatings,
              start: matrix.userOffsets[u]!,
              end: matrix.userOffsets[u + 1]!,
            };
      if (ratings.end - ratings.start < config.minRatings) coldStartUsers += 1;
      const user = { ...ratings, movieIdOf, genresOf: genresOfMovie };
      return { userId, entries: userList(user, scorer, popular, config) };
    });
    await db.transaction((tx) => writeUserLists(tx, lists, computedAt));
    onProgress?.({ phase: 'users', done: from + lists.length, total: userIds.length });
    await yieldToEventLoop();
  }

  return {
    ratings: matrix.userItems.length,
    movies: itemCount,
    users: userIds.length,
    coldStartUsers,
    durationMs: performance.now() - started,
  };
}
