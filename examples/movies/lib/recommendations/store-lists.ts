// Writes lists in bulk inside the caller's transaction: a user's rows are deleted and written
// again in that transaction, a movie's one row of neighbours replaced, so a reader sees a whole old
// list or a whole new one. PostgreSQL
// takes a batch in one statement through unnest(); SQLite runs its prepared insert per row.

import type { Transaction } from 'specstack';
import { execute, sqliteStatementOf } from '../sql.ts';
import type { PopularMovie } from './cold-start.ts';
import type { ListEntry } from './list-entry.ts';

export interface UserList {
  userId: number;
  entries: ListEntry[];
}

export interface NeighbourList {
  movieId: number;
  neighbours: { movieId: number; score: number }[];
}

const INSERT_RECOMMENDATION =
  'INSERT INTO recommendations (user_id, movie_id, rank, score, reason_movie_id, reason_rating, reason, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const UPSERT_SIMILAR = `INSERT INTO similar_movies (movie_id, similar_ids, scores) VALUES (?, ?, ?)
  ON CONFLICT (movie_id) DO UPDATE SET similar_ids = excluded.similar_ids, scores = excluded.scores`;
const INSERT_POPULAR =
  'INSERT INTO popular_movies (movie_id, rank, score, rating_count) VALUES (?, ?, ?, ?)';

/** Column arrays of many rows, for one unnest() insert. */
function columns<T>(rows: T[], pick: (row: T) => unknown[]): unknown[][] {
  const width = rows.length > 0 ? pick(rows[0]!).length : 0;
  const result: unknown[][] = Array.from({ length: width }, () => []);
  for (const row of rows) {
    pick(row).forEach((value, c) => {
      result[c]!.push(value);
    });
  }
  return result;
}

export async function writeUserLists(
  tx: Transaction,
  lists: UserList[],
  computedAt: string,
): Promise<void> {
  const rows = lists.flatMap(({ userId, entries }) =>
    entries.map((entry, at) => ({ userId, rank: at + 1, ...entry })),
  );
  const values = (row: (typeof rows)[number]) => [
    row.userId,
    row.movieId,
    row.rank,
    row.score,
    row.reasonMovieId,
    row.reasonRating,
    row.reason,
    computedAt,
  ];
  if (tx.dialect === 'sqlite') {
    const remove = sqliteStatementOf(tx, 'DELETE FROM recommendations WHERE user_id = ?')!;
    const insert = sqliteStatementOf(tx, INSERT_RECOMMENDATION)!;
    for (const { userId } of lists) remove.run(userId);
    for (const row of rows) insert.run(...values(row));
    return;
  }
  await execute(tx, 'DELETE FROM recommendations WHERE user_id = ANY(?::bigint[])', [
    lists.map((list) => list.userId),
  ]);
  if (rows.length === 0) return;
  await execute(
    tx,
    `INSERT INTO recommendations (user_id, movie_id, rank, score, reason_movie_id, reason_rating, reason, computed_at)
     SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::int[], ?::float8[], ?::bigint[], ?::float8[], ?::text[], ?::timestamptz[])`,
    columns(rows, values),
  );
}

export async function writeNeighbourLists(tx: Transaction, lists: NeighbourList[]): Promise<void> {
  const rows = lists.map(({ movieId, neighbours }) => [
    movieId,
    JSON.stringify(neighbours.map((near) => near.movieId)),
    JSON.stringify(neighbours.map((near) => near.score)),
  ]);
  if (tx.dialect === 'sqlite') {
    const upsert = sqliteStatementOf(tx, UPSERT_SIMILAR)!;
    for (const row of rows) upsert.run(...row);
    return;
  }
  if (rows.length === 0) return;
  await execute(
    tx,
    `INSERT INTO similar_movies (movie_id, similar_ids, scores)
     SELECT * FROM unnest(?::bigint[], ?::jsonb[], ?::jsonb[])
     ON CONFLICT (movie_id) DO UPDATE SET similar_ids = excluded.similar_ids, scores = excluded.scores`,
    columns(rows, (row) => row),
  );
}

/** Movies with no ratings left keep no neighbours. */
export async function removeNeighboursOfUnrated(tx: Transaction): Promise<void> {
  await execute(
    tx,
    // NOT EXISTS, not NOT IN: PostgreSQL runs NOT IN over a subquery too big to hash row by row.
    'DELETE FROM similar_movies WHERE NOT EXISTS (SELECT 1 FROM ratings r WHERE r.movie_id = similar_movies.movie_id)',
  );
}

export async function writePopular(tx: Transaction, popular: PopularMovie[]): Promise<void> {
  await execute(tx, 'DELETE FROM popular_movies');
  const rows = popular.map((movie, at) => [movie.movieId, at + 1, movie.score, movie.ratingCount]);
  if (tx.dialect === 'sqlite') {
    const insert = sqliteStatementOf(tx, INSERT_POPULAR)!;
    for (const row of rows) insert.run(...row);
    return;
  }
  if (rows.length === 0) return;
  await execute(
    tx,
    `INSERT INTO popular_movies (movie_id, rank, score, rating_count)
     SELECT * FROM unnest(?::bigint[], ?::int[], ?::float8[], ?::int[])`,
    columns(rows, (row) => row),
  );
}
