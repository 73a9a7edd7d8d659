// Reads for the API and for one user's refresh: a stored list with its movies and reasons in one
// query, a movie's neighbours, the cold-start candidates (stored by the last recompute, or
// computed from the ratings before there was one), and a user's ratings with their genres.

import type { Schema } from '../../types/spec.ts';
import {
  genresOf,
  limitClause,
  numbersOf,
  placeholders,
  type Queryable,
  queryRows,
} from '../sql.ts';
import { type PopularMovie, rankPopular } from './cold-start.ts';
import { type ListEntry, reasonText } from './list-entry.ts';

export type MovieSummary = Schema<'MovieSummary'>;
export type RecommendedMovie = Schema<'RecommendedMovie'>;

interface MovieRow {
  id: number | string;
  title: string;
  release_year: number | null;
  genres: unknown;
}

const summary = (row: MovieRow): MovieSummary => ({
  id: Number(row.id),
  title: row.title,
  release_year: row.release_year,
  genres: genresOf(row.genres),
});

const storedList = (limit: number) => `
  SELECT m.id, m.title, m.release_year, m.genres, r.score, r.reason, r.reason_rating,
         r.reason_movie_id, b.title AS reason_title
  FROM recommendations r
  JOIN movies m ON m.id = r.movie_id
  LEFT JOIN movies b ON b.id = r.reason_movie_id
  WHERE r.user_id = ?
    AND NOT EXISTS (SELECT 1 FROM ratings x WHERE x.user_id = r.user_id AND x.movie_id = r.movie_id)
  ORDER BY r.rank
  ${limitClause(limit)}`;

/** The movies of these ids that exist, by id. */
export async function readMovies(db: Queryable, ids: number[]): Promise<Map<number, MovieSummary>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<MovieRow>(
    db,
    `SELECT id, title, release_year, genres FROM movies WHERE id IN (${placeholders(ids.length)})`,
    ids,
  );
  return new Map(rows.map((row) => [Number(row.id), summary(row)]));
}

/** The stored list, minus anything rated since it was computed; empty when none is stored. */
export async function readStoredList(
  db: Queryable,
  userId: number,
  limit: number,
): Promise<RecommendedMovie[]> {
  const rows = await queryRows<
    MovieRow & {
      score: number;
      reason: string | null;
      reason_rating: number | null;
      reason_movie_id: number | string | null;
      reason_title: string | null;
    }
  >(db, storedList(limit), [userId]);
  return rows.map((row) => ({
    movie: summary(row),
    score: Number(row.score),
    reason: reasonText(
      { reason: row.reason, reasonRating: row.reason_rating },
      row.reason_movie_id === null ? null : row.reason_title,
    ),
    because:
      row.reason_movie_id !== null && row.reason_title !== null && row.reason_rating !== null
        ? { id: Number(row.reason_movie_id), title: row.reason_title, rating: row.reason_rating }
        : null,
  }));
}

/** Entries computed on the fly (cold start), with their movies, in one query. */
export async function describeEntries(
  db: Queryable,
  entries: ListEntry[],
): Promise<RecommendedMovie[]> {
  if (entries.length === 0) return [];
  const movies = await readMovies(
    db,
    entries.map((entry) => entry.movieId),
  );
  return entries.flatMap((entry) => {
    const movie = movies.get(entry.movieId);
    return movie
      ? [{ movie, score: entry.score, reason: reasonText(entry, null), because: null }]
      : [];
  });
}

export type SimilarMovie = Schema<'SimilarMovieItem'>;

/** A movie's stored neighbours; undefined when none are stored for it. */
export async function readNeighbours(
  db: Queryable,
  movieId: number,
): Promise<{ ids: number[]; scores: number[] } | undefined> {
  const rows = await queryRows<{ similar_ids: unknown; scores: unknown }>(
    db,
    'SELECT similar_ids, scores FROM similar_movies WHERE movie_id = ?',
    [movieId],
  );
  const row = rows[0];
  return row && { ids: numbersOf(row.similar_ids), scores: numbersOf(row.scores) };
}

export async function readSimilar(
  db: Queryable,
  movieId: number,
  limit: number,
): Promise<SimilarMovie[] | undefined> {
  const stored = await readNeighbours(db, movieId);
  if (!stored) return undefined;
  const ids = stored.ids.slice(0, limit);
  const movies = await readMovies(db, ids);
  return ids.flatMap((id, at) => {
    const movie = movies.get(id);
    return movie ? [{ movie, score: stored.scores[at]! }] : [];
  });
}

export interface RatedMovie {
  movieId: number;
  rating: number;
  genres: string[];
}

export async function readUserRatings(db: Queryable, userId: number): Promise<RatedMovie[]> {
  const rows = await queryRows<{ movie_id: number | string; rating: number; genres: unknown }>(
    db,
    'SELECT r.movie_id, r.rating, m.genres FROM ratings r JOIN movies m ON m.id = r.movie_id WHERE r.user_id = ?',
    [userId],
  );
  return rows.map((row) => ({
    movieId: Number(row.movie_id),
    rating: Number(row.rating),
    genres: genresOf(row.genres),
  }));
}

/**
 * The cold-start candidates the last recompute stored; before the first one, the same ranking
 * computed from the ratings; with no ratings at all, the catalogue in id order.
 */
export async function readPopular(
  db: Queryable,
  { limit, priorWeight }: { limit: number; priorWeight: number },
): Promise<PopularMovie[]> {
  const stored = await queryRows<{
    movie_id: number | string;
    score: number;
    rating_count: number;
    genres: unknown;
  }>(
    db,
    `SELECT p.movie_id, p.score, p.rating_count, m.genres
     FROM popular_movies p JOIN movies m ON m.id = p.movie_id ORDER BY p.rank ${limitClause(limit)}`,
  );
  if (stored.length > 0) {
    return stored.map((row) => ({
      movieId: Number(row.movie_id),
      score: Number(row.score),
      ratingCount: Number(row.rating_count),
      genres: genresOf(row.genres),
    }));
  }
  const totals = await queryRows<{
    movie_id: number | string;
    n: number | string;
    total: number;
    genres: unknown;
  }>(
    db,
    `SELECT t.movie_id, t.n, t.total, m.genres
     FROM (SELECT movie_id, COUNT(*) AS n, SUM(rating) AS total FROM ratings GROUP BY movie_id) t
     JOIN movies m ON m.id = t.movie_id`,
  );
  if (totals.length > 0) {
    const genres = new Map(totals.map((row) => [Number(row.movie_id), genresOf(row.genres)]));
    return rankPopular(
      {
        movieIds: totals.map((row) => Number(row.movie_id)),
        counts: totals.map((row) => Number(row.n)),
        sums: totals.map((row) => Number(row.total)),
      },
      (id) => genres.get(id) ?? [],
      { priorWeight, limit },
    );
  }
  const catalogue = await queryRows<{ id: number | string; genres: unknown }>(
    db,
    'SELECT id, genres FROM movies ORDER BY id LIMIT ?',
    [limit],
  );
  return catalogue.map((row) => ({
    movieId: Number(row.id),
    score: 0,
    ratingCount: 0,
    genres: genresOf(row.genres),
  }));
}
