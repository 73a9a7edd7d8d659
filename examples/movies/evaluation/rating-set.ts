// A ratings file in memory as parallel typed arrays (no object per rating), read from the
// MovieLens layout (userId,movieId,rating,timestamp; trailing empty columns allowed).

import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

export interface RatingSet {
  users: Float64Array;
  movies: Float64Array;
  ratings: Float32Array;
  length: number;
}

export function emptyRatingSet(capacity: number): RatingSet {
  return {
    users: new Float64Array(capacity),
    movies: new Float64Array(capacity),
    ratings: new Float32Array(capacity),
    length: 0,
  };
}

export function pushRating(set: RatingSet, user: number, movie: number, rating: number): RatingSet {
  let target = set;
  if (set.length === set.users.length) {
    target = emptyRatingSet(Math.max(1024, set.length * 2));
    target.users.set(set.users);
    target.movies.set(set.movies);
    target.ratings.set(set.ratings);
    target.length = set.length;
  }
  target.users[target.length] = user;
  target.movies[target.length] = movie;
  target.ratings[target.length] = rating;
  target.length += 1;
  return target;
}

/** A MovieLens CSV's records by column name (trailing empty columns tolerated). */
function csvRecords(file: string): AsyncIterable<Record<string, string>> {
  return createReadStream(file).pipe(
    parse({
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    }),
  );
}

export async function readRatingsCsv(file: string): Promise<RatingSet> {
  let set = emptyRatingSet(1 << 16);
  for await (const record of csvRecords(file)) {
    set = pushRating(set, Number(record.userId), Number(record.movieId), Number(record.rating));
  }
  return set;
}

/** movieId -> { title, genres } from a MovieLens movies.csv. */
export async function readMoviesCsv(
  file: string,
): Promise<Map<number, { title: string; genres: string[] }>> {
  const { parseGenres, parseTitle } = await import('../lib/movielens.ts');
  const movies = new Map<number, { title: string; genres: string[] }>();
  for await (const record of csvRecords(file)) {
    movies.set(Number(record.movieId), {
      title: parseTitle(record.title ?? '').title,
      genres: parseGenres(record.genres ?? ''),
    });
  }
  return movies;
}
