// Per-user hold-out: a seeded shuffle of each user's ratings, a share of them held out for testing.

import { prng } from './random.ts';
import { emptyRatingSet, pushRating, type RatingSet } from './rating-set.ts';

export interface Split {
  train: RatingSet;
  /** userId -> held-out (movieId, rating) pairs. */
  test: Map<number, { movie: number; rating: number }[]>;
}

export function splitPerUser(set: RatingSet, { share = 0.2, seed = 42 } = {}): Split {
  const random = prng(seed);
  const byUser = new Map<number, number[]>();
  for (let k = 0; k < set.length; k += 1) {
    const user = set.users[k]!;
    let list = byUser.get(user);
    if (!list) {
      list = [];
      byUser.set(user, list);
    }
    list.push(k);
  }
  let train = emptyRatingSet(set.length);
  const test: Split['test'] = new Map();
  for (const [user, indexes] of byUser) {
    for (let i = indexes.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
    }
    const held = Math.round(indexes.length * share);
    test.set(
      user,
      indexes.slice(0, held).map((k) => ({ movie: set.movies[k]!, rating: set.ratings[k]! })),
    );
    for (const k of indexes.slice(held)) {
      train = pushRating(train, user, set.movies[k]!, set.ratings[k]!);
    }
  }
  return { train, test };
}
