// Cold start: movies ranked by damped (Bayesian) mean rating, (Σ r + m·μ) / (n + m), so one 5-star
// rating does not beat hundreds of 4.5s; boosted towards the genres a user rated 4 or more. Also
// fills a neighbour-based list that came out short.

import type { ListEntry } from './list-entry.ts';
import { LIKED_RATING } from './score-user.ts';

export interface PopularMovie {
  movieId: number;
  /** The damped mean. */
  score: number;
  ratingCount: number;
  genres: string[];
}

export interface MovieTotals {
  movieIds: ArrayLike<number>;
  counts: ArrayLike<number>;
  sums: ArrayLike<number>;
}

/** The `limit` best movies by damped mean; `genresOf` gives each movie's genres. */
export function rankPopular(
  totals: MovieTotals,
  genresOf: (movieId: number) => string[],
  { priorWeight, limit }: { priorWeight: number; limit: number },
): PopularMovie[] {
  let ratings = 0;
  let total = 0;
  for (let i = 0; i < totals.counts.length; i += 1) {
    ratings += totals.counts[i]!;
    total += totals.sums[i]!;
  }
  const mean = ratings > 0 ? total / ratings : 0;
  const order = Array.from({ length: totals.counts.length }, (_, i) => i);
  const damped = order.map(
    (i) => (totals.sums[i]! + priorWeight * mean) / (totals.counts[i]! + priorWeight),
  );
  order.sort((a, b) => damped[b]! - damped[a]! || totals.movieIds[a]! - totals.movieIds[b]!);
  return order.slice(0, limit).map((i) => ({
    movieId: totals.movieIds[i]!,
    score: damped[i]!,
    ratingCount: totals.counts[i]!,
    genres: genresOf(totals.movieIds[i]!),
  }));
}

/** Genres of the movies a user liked (rated LIKED_RATING or more). */
export function likedGenres(rated: Iterable<{ rating: number; genres: string[] }>): Set<string> {
  const liked = new Set<string>();
  for (const { rating, genres } of rated) {
    if (rating >= LIKED_RATING) for (const genre of genres) liked.add(genre);
  }
  return liked;
}

function coldReason(movie: PopularMovie, liked: Set<string>): string {
  const genre = movie.genres.find((g) => liked.has(g));
  return genre !== undefined
    ? `well rated by viewers, and you like ${genre}`
    : `well rated by ${movie.ratingCount} ${movie.ratingCount === 1 ? 'viewer' : 'viewers'}`;
}

/** The cold-start list: unrated candidates by damped mean plus the genre boost. */
export function coldStartList(
  candidates: readonly PopularMovie[],
  liked: Set<string>,
  rated: { has(movieId: number): boolean },
  { listSize, genreBoost }: { listSize: number; genreBoost: number },
): ListEntry[] {
  const scored = candidates
    .filter((movie) => !rated.has(movie.movieId))
    .map((movie) => {
      const matching = movie.genres.filter((g) => liked.has(g)).length;
      const share = movie.genres.length > 0 ? matching / movie.genres.length : 0;
      return { movie, score: movie.score + genreBoost * share };
    });
  scored.sort((a, b) => b.score - a.score || a.movie.movieId - b.movie.movieId);
  return scored.slice(0, listSize).map(({ movie, score }) => ({
    movieId: movie.movieId,
    score,
    reasonMovieId: null,
    reasonRating: null,
    reason: coldReason(movie, liked),
  }));
}

/** Appends cold-start movies to a short list, scored below its last entry so the order holds. */
export function fillList(
  list: ListEntry[],
  candidates: readonly PopularMovie[],
  rated: { has(movieId: number): boolean },
  listSize: number,
): ListEntry[] {
  if (list.length >= listSize) return list;
  const taken = new Set(list.map((entry) => entry.movieId));
  const skip = { has: (id: number) => rated.has(id) || taken.has(id) };
  const extra = coldStartList(candidates, new Set(), skip, {
    listSize: listSize - list.length,
    genreBoost: 0,
  });
  let floor = list.at(-1)?.score ?? Number.POSITIVE_INFINITY;
  for (const entry of extra) {
    floor = Math.min(floor, entry.score) * 0.999;
    list.push({ ...entry, score: floor });
  }
  return list;
}
