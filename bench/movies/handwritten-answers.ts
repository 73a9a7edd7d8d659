// Rows turned into the movies example's answers, as its handlers and specstack's rating summary
// turn them, for both hand-written movies servers.

/** A JSON array column: text on SQLite, parsed jsonb on PostgreSQL. */
export const jsonArray = <T>(value: unknown): T[] =>
  (typeof value === 'string' ? JSON.parse(value) : value) ?? [];

export interface MovieRow {
  id: number;
  title: string;
  release_year: number | null;
  genres: unknown;
}

/** A searched movie: its columns, then its rating_summary. */
export type SearchRow = MovieRow & Record<string, unknown>;

/**
 * Each movie's rating_summary from the summary query's [movie_id, count, mean] rows: a movie
 * without ratings has a count of 0 and no mean.
 */
export function withSummaries(rows: SearchRow[], found: [number, number, number | null][]) {
  const byMovie = new Map(found.map(([id, count, mean]) => [id, { count, mean }]));
  for (const row of rows) {
    row.genres = jsonArray(row.genres);
    row.rating_summary = byMovie.get(row.id) ?? { count: 0, mean: null };
  }
  return rows;
}

export const summaryOf = (row: MovieRow) => ({
  id: row.id,
  title: row.title,
  release_year: row.release_year,
  genres: jsonArray<string>(row.genres),
});

export interface StoredRow extends MovieRow {
  score: number;
  reason: string | null;
  reason_rating: number | null;
  reason_movie_id: number | null;
  reason_title: string | null;
}

const stars = (rating: number) => `${rating} ${rating === 1 ? 'star' : 'stars'}`;

/** A stored recommendation, with the sentence that explains it. */
export function recommendationOf(row: StoredRow) {
  const because =
    row.reason_movie_id !== null && row.reason_title !== null && row.reason_rating !== null
      ? { id: row.reason_movie_id, title: row.reason_title, rating: row.reason_rating }
      : null;
  return {
    movie: summaryOf(row),
    score: row.score,
    reason: because
      ? `because you rated ${because.title} ${stars(because.rating)}`
      : (row.reason ?? 'popular with viewers'),
    because,
  };
}

/** The stored neighbours of a movie, with the movies that still exist, in neighbour order. */
export function similarOf(ids: readonly number[], scores: readonly number[], rows: MovieRow[]) {
  const movies = new Map(rows.map((row) => [row.id, summaryOf(row)]));
  return ids.flatMap((id, at) => {
    const found = movies.get(id);
    return found ? [{ movie: found, score: scores[at]! }] : [];
  });
}
