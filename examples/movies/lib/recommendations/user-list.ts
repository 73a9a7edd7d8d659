// One user's list from their ratings, the same way for the full recompute and a single refresh:
// cold start below the rating threshold, else neighbour scores filled up with cold-start movies.

import { coldStartList, fillList, likedGenres, type PopularMovie } from './cold-start.ts';
import type { ListEntry } from './list-entry.ts';
import type { Settings } from './options.ts';
import type { ScoredItems, UserScorer } from './score-user.ts';

export interface UserRatings {
  /** Item indexes in the scorer's index space, and the ratings alongside. */
  items: Int32Array;
  ratings: Float32Array;
  start: number;
  end: number;
  /** Item index -> movie id. */
  movieIdOf: (item: number) => number;
  genresOf: (movieId: number) => string[];
}

function entriesOf(scored: ScoredItems, movieIdOf: (item: number) => number): ListEntry[] {
  return Array.from(scored.items, (item, at) => ({
    movieId: movieIdOf(item),
    score: scored.scores[at]!,
    reasonMovieId: movieIdOf(scored.reasonItems[at]!),
    reasonRating: scored.reasonRatings[at]!,
    reason: null,
  }));
}

export function userList(
  user: UserRatings,
  scorer: UserScorer,
  popular: readonly PopularMovie[],
  settings: Pick<Settings, 'minRatings' | 'listSize' | 'genreBoost'>,
): ListEntry[] {
  const rated = new Set<number>();
  for (let k = user.start; k < user.end; k += 1) rated.add(user.movieIdOf(user.items[k]!));
  if (user.end - user.start < settings.minRatings) {
    const profile = [];
    for (let k = user.start; k < user.end; k += 1) {
      const movieId = user.movieIdOf(user.items[k]!);
      profile.push({ rating: user.ratings[k]!, genres: user.genresOf(movieId) });
    }
    return coldStartList(popular, likedGenres(profile), rated, settings);
  }
  const scored = scorer.score(user.items, user.ratings, user.start, user.end);
  const entries = entriesOf(scored, user.movieIdOf);
  return entries.length < settings.listSize
    ? fillList(entries, popular, rated, settings.listSize)
    : entries;
}
