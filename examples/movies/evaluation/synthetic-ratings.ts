// Synthetic, long-tailed ratings to measure the recommender against popularity without flattering
// it: movie popularity follows a Zipf law (most movies get one or two ratings, a few get
// hundreds), users rate between 20 and 2,000 movies (Pareto), and taste is a low-rank factor
// model plus quality and popularity, with noise, not genre clusters. Deterministic per seed.

import { normal, prng } from './random.ts';
import { emptyRatingSet, pushRating, type RatingSet } from './rating-set.ts';

export interface SyntheticOptions {
  ratings: number;
  seed?: number;
}

export interface SyntheticData {
  ratings: RatingSet;
  /** movieId -> genres (from the movie's strongest latent factors: related, not clusters). */
  genres: Map<number, string[]>;
}

const FACTORS = 4;
/** How strongly taste steers which movies a user rates (a logistic slope on the affinity). */
const SELECTION = 8;
const GENRES = [
  'Action',
  'Adventure',
  'Animation',
  'Children',
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
];

export function syntheticRatings({ ratings: target, seed = 17 }: SyntheticOptions): SyntheticData {
  const random = prng(seed);
  const gauss = normal(random);
  const movieCount = Math.round(9000 * Math.sqrt(target / 100_000));
  const factors = new Float64Array(movieCount * FACTORS);
  const quality = new Float64Array(movieCount);
  const cumulative = new Float64Array(movieCount);
  const genres = new Map<number, string[]>();
  let total = 0;
  for (let m = 0; m < movieCount; m += 1) {
    for (let f = 0; f < FACTORS; f += 1) factors[m * FACTORS + f] = gauss();
    quality[m] = 0.5 * gauss();
    // Movie m + 1 is the m-th most popular: Zipf with exponent 1.
    total += 1 / (m + 1);
    cumulative[m] = total;
    const strongest = Array.from({ length: FACTORS }, (_, f) => f)
      .sort((a, b) => Math.abs(factors[m * FACTORS + b]!) - Math.abs(factors[m * FACTORS + a]!))
      .slice(0, 1 + Math.floor(random() * 3));
    genres.set(
      m + 1,
      strongest.map((f) => GENRES[2 * f + (factors[m * FACTORS + f]! > 0 ? 0 : 1)]!),
    );
  }
  const drawMovie = () => {
    const x = random() * total;
    let lo = 0;
    let hi = movieCount - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  let set = emptyRatingSet(target);
  const taste = new Float64Array(FACTORS);
  for (let user = 1; set.length < target; user += 1) {
    const wanted = Math.min(
      2000,
      Math.floor(20 / (1 - random()) ** (1 / 1.3)),
      target - set.length,
    );
    for (let f = 0; f < FACTORS; f += 1) taste[f] = gauss() / Math.sqrt(FACTORS);
    const bias = 0.4 * gauss();
    const seen = new Set<number>();
    for (let attempts = 0; seen.size < wanted && attempts < wanted * 50; attempts += 1) {
      const m = drawMovie();
      if (seen.has(m)) continue;
      let affinity = 0;
      for (let f = 0; f < FACTORS; f += 1) affinity += taste[f]! * factors[m * FACTORS + f]!;
      // People mostly watch what they expect to like: selection leans on taste.
      if (random() > 1 / (1 + Math.exp(-SELECTION * affinity))) continue;
      seen.add(m);
      const raw = 3.4 + quality[m]! + bias + 0.8 * affinity + 0.7 * gauss();
      const rating = Math.min(5, Math.max(0.5, Math.round(raw * 2) / 2));
      set = pushRating(set, user, m + 1, rating);
    }
  }
  return { ratings: set, genres };
}
