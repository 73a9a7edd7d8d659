// The SQL both hand-written movies servers run besides their search, as specstack runs it for
// these requests: its rating-summary query (Drizzle's text, every movie of the page in one array
// parameter) and the example's recommendation reads (lib/recommendations/read-lists.ts,
// handlers/recommendations.ts). `?` placeholders; the PostgreSQL server numbers them.

const marks = (count: number) => Array.from({ length: count }, () => '?').join(', ');

/** [movie_id, count, mean] of the ratings of the movies whose ids are a JSON array on SQLite. */
export const SQLITE_RATING_SUMMARIES = `select "movie_id", count(*), avg("rating") from "ratings" where "ratings"."movie_id" in (select value from json_each(?)) group by "ratings"."movie_id"`;

/** [movie_id, count, mean] of the ratings of the movies whose ids are an array on PostgreSQL. */
export const POSTGRES_RATING_SUMMARIES = `select "movie_id", count(*), avg("rating") from "ratings" where "ratings"."movie_id" = any(?) group by "ratings"."movie_id"`;

export const moviesByIds = (count: number) =>
  `SELECT id, title, release_year, genres FROM movies WHERE id IN (${marks(count)})`;

export const NEIGHBOURS = 'SELECT similar_ids, scores FROM similar_movies WHERE movie_id = ?';
export const MOVIE_EXISTS = 'SELECT id FROM movies WHERE id = ?';
export const USER_EXISTS = 'SELECT id FROM users WHERE id = ?';

/** A user's stored list, minus anything rated since it was computed; the limit in its text. */
export const storedListOf = (limit: number) => `
  SELECT m.id, m.title, m.release_year, m.genres, r.score, r.reason, r.reason_rating,
         r.reason_movie_id, b.title AS reason_title
  FROM recommendations r
  JOIN movies m ON m.id = r.movie_id
  LEFT JOIN movies b ON b.id = r.reason_movie_id
  WHERE r.user_id = ?
    AND NOT EXISTS (SELECT 1 FROM ratings x WHERE x.user_id = r.user_id AND x.movie_id = r.movie_id)
  ORDER BY r.rank
  LIMIT ${limit}`;

/** Made on first use, one per key: statements whose text holds a value (a row limit). */
export function statementsByKey<K, T>(make: (key: K) => T): (key: K) => T {
  const made = new Map<K, T>();
  return (key) => {
    let statement = made.get(key);
    if (statement === undefined) {
      statement = make(key);
      made.set(key, statement);
    }
    return statement;
  };
}

/** One statement per count of values (`in (?, ?)` has one mark per value): `made[count - 1]`. */
export const statementsByCount = <T>(max: number, make: (count: number) => T): T[] =>
  Array.from({ length: max }, (_, i) => make(i + 1));
