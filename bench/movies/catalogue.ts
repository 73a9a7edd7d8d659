// The movies suite's data, as rows ready to insert: a catalogue of MOVIES synthetic movies
// (../synthetic-movies.ts: accented titles, long-tailed words), RATINGS MovieLens-shaped ratings
// (the evaluation's generator: Zipf popularity, 20 to 2,000 ratings per user) by their users,
// and one admin account with a known password, to log in with.

import { syntheticRatings } from '../../examples/movies/evaluation/synthetic-ratings.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { syntheticMovie } from '../synthetic-movies.ts';

export const MOVIES = 10_000;
export const RATINGS = 100_000;
export const ADMIN = { email: 'bench-admin@specstack.invalid', password: 'bench-admin-password' };

export interface TableRows {
  /** `users (id, email, …)`. */
  target: string;
  /** Each column's PostgreSQL type, for the arrays of a bulk insert. */
  postgresTypes: readonly string[];
  rows: unknown[][];
}

export interface Catalogue {
  users: TableRows;
  movies: TableRows;
  ratings: TableRows;
}

async function makeCatalogue(): Promise<Catalogue> {
  const now = new Date().toISOString();
  const { ratings, genres } = syntheticRatings({ ratings: RATINGS });
  const raters = new Set<number>();
  const ratingRows: unknown[][] = [];
  for (let k = 0; k < ratings.length; k += 1) {
    raters.add(ratings.users[k]!);
    ratingRows.push([ratings.users[k], ratings.movies[k], ratings.ratings[k], now, now]);
  }
  // Rating users exist for their ratings: no password opens their accounts.
  const users = [...raters].map((id) => [
    id,
    `user${id}@bench.invalid`,
    `User ${id}`,
    '!',
    'user',
    now,
  ]);
  const adminId = Math.max(...raters) + 1;
  users.push([
    adminId,
    ADMIN.email,
    'Bench Admin',
    await hashPassword(ADMIN.password),
    'admin',
    now,
  ]);
  const movies = Array.from({ length: MOVIES }, (_, i) => {
    const movie = syntheticMovie(i + 1);
    // The rated movies keep the genres their ratings were drawn from (the recommender reads them).
    const listed = genres.get(i + 1) ?? movie.genres;
    return [i + 1, movie.title, movie.description, movie.year, JSON.stringify(listed), now];
  });
  return {
    users: {
      target: 'users (id, email, name, password, role, created_at)',
      postgresTypes: ['bigint', 'text', 'text', 'text', 'text', 'timestamptz'],
      rows: users,
    },
    movies: {
      target: 'movies (id, title, description, release_year, genres, created_at)',
      postgresTypes: ['bigint', 'text', 'text', 'int', 'jsonb', 'timestamptz'],
      rows: movies,
    },
    ratings: {
      target: 'ratings (user_id, movie_id, rating, created_at, updated_at)',
      postgresTypes: ['bigint', 'bigint', 'float8', 'timestamptz', 'timestamptz'],
      rows: ratingRows,
    },
  };
}

let made: Promise<Catalogue> | undefined;

/** The same catalogue for every database of a run: it is made once. */
export function catalogue(): Promise<Catalogue> {
  made ??= makeCatalogue();
  return made;
}
