// One user's list again, from their current ratings and the movie neighbours the last full
// recompute stored: what the per-user job runs shortly after someone rates.

import type { Database } from 'specstack';
import { numbersOf, queryRows } from '../sql.ts';
import type { ItemNeighbours } from './item-neighbours.ts';
import type { ListEntry } from './list-entry.ts';
import { type RecommenderOptions, settings } from './options.ts';
import { type RatedMovie, readMovies, readPopular, readUserRatings } from './read-lists.ts';
import { UserScorer } from './score-user.ts';
import { writeUserLists } from './store-lists.ts';
import { userList } from './user-list.ts';

interface NeighbourRow {
  movie_id: number | string;
  similar_ids: unknown;
  scores: unknown;
}

/** The stored neighbours of the user's movies, in a local item index space: rated movies first. */
export function localNeighbours(rated: RatedMovie[], rows: NeighbourRow[]) {
  const movieIds: number[] = rated.map((r) => r.movieId);
  const index = new Map(movieIds.map((id, i) => [id, i]));
  const lists: { item: number; score: number }[][] = rated.map(() => []);
  for (const row of rows) {
    const from = index.get(Number(row.movie_id));
    // A movie the user rated after `rated` was read (the two reads are not one snapshot) is not
    // among them: it may already be in the index as another movie's neighbour, but it has no list
    // here. The refresh its rating enqueued counts it.
    if (from === undefined || from >= rated.length) continue;
    const scores = numbersOf(row.scores);
    numbersOf(row.similar_ids).forEach((to, at) => {
      let item = index.get(to);
      if (item === undefined) {
        item = movieIds.length;
        movieIds.push(to);
        index.set(to, item);
      }
      lists[from]!.push({ item, score: scores[at]! });
    });
  }
  const offsets = new Int32Array(movieIds.length + 1);
  const items: number[] = [];
  const scores: number[] = [];
  lists.forEach((list, i) => {
    for (const near of list) {
      items.push(near.item);
      scores.push(near.score);
    }
    offsets[i + 1] = items.length;
  });
  offsets.fill(items.length, lists.length + 1);
  const neighbours: ItemNeighbours = {
    offsets,
    items: Int32Array.from(items),
    scores: Float32Array.from(scores),
  };
  return { movieIds, neighbours };
}

/**
 * One user's list from their ratings and the neighbours the last recomputeAll stored (none yet:
 * cold-start movies fill it), without storing it.
 */
export async function computeUserList(
  db: Database,
  userId: number,
  options: RecommenderOptions = {},
): Promise<ListEntry[]> {
  const config = settings(options);
  const rated = await readUserRatings(db, userId);
  const rows =
    rated.length < config.minRatings
      ? []
      : await queryRows<NeighbourRow>(
          db,
          `SELECT s.movie_id, s.similar_ids, s.scores
           FROM similar_movies s JOIN ratings r ON r.movie_id = s.movie_id
           WHERE r.user_id = ?`,
          [userId],
        );
  const { movieIds, neighbours } = localNeighbours(rated, rows);
  const genres = new Map(rated.map((r) => [r.movieId, r.genres]));
  const popular = await readPopular(db, { limit: config.popularCandidates, ...config });
  return userList(
    {
      items: Int32Array.from(rated, (_, i) => i),
      ratings: Float32Array.from(rated, (r) => r.rating),
      start: 0,
      end: rated.length,
      movieIdOf: (item) => movieIds[item]!,
      genresOf: (movieId) => genres.get(movieId) ?? [],
    },
    new UserScorer(movieIds.length, neighbours, config.listSize),
    popular,
    config,
  );
}

/** Recomputes and stores one user's list; undefined when there is no such user. */
export async function refreshUser(
  db: Database,
  userId: number,
  options: RecommenderOptions = {},
): Promise<ListEntry[] | undefined> {
  const users = await queryRows(db, 'SELECT id FROM users WHERE id = ?', [userId]);
  if (users.length === 0) return undefined;
  // Stored neighbours may name movies deleted since the last recompute.
  const computed = await computeUserList(db, userId, options);
  const existing = await readMovies(
    db,
    computed.map((entry) => entry.movieId),
  );
  const entries = computed.filter((entry) => existing.has(entry.movieId));
  const computedAt = settings(options).now().toISOString();
  await db.transaction((tx) => writeUserLists(tx, [{ userId, entries }], computedAt));
  return entries;
}
