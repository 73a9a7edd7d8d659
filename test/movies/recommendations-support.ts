// Shared by the recommendation suites: the movies app's schema in a fresh database of the suite's
// dialect, filled with a small synthetic, long-tailed rating set (users keep their ids).

import { syntheticRatings } from '../../examples/movies/evaluation/synthetic-ratings.ts';
import {
  fillDatabase,
  type MovieInfo,
} from '../../examples/movies/evaluation/training-database.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import type { Database } from '../../src/index.ts';
import { deriveModel } from '../../src/model/derive-model.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { MOVIES_APP, migrateMovies } from '../seed/seed-support.ts';

const spec = await loadSpec(`${MOVIES_APP}/openapi.yaml`);
export const moviesModel = deriveModel(spec.document, spec.file);

export const SMALL = syntheticRatings({ ratings: 6000, seed: 3 });
export const SMALL_MOVIES: MovieInfo = new Map(
  [...SMALL.genres].map(([id, genres]) => [id, { title: `Movie ${id}`, genres }]),
);

/** Users of the small set, most ratings first. */
export function usersByActivity(): number[] {
  const counts = new Map<number, number>();
  for (let k = 0; k < SMALL.ratings.length; k += 1) {
    const user = SMALL.ratings.users[k]!;
    counts.set(user, (counts.get(user) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([user]) => user);
}

export async function openMoviesDatabase(url: string): Promise<Database> {
  await migrateMovies(url);
  return openDatabase({ url, model: moviesModel });
}

export async function openFilled(url: string): Promise<Database> {
  const db = await openMoviesDatabase(url);
  await fillDatabase(db, SMALL.ratings, SMALL_MOVIES);
  return db;
}
