// The recommender's settings and their defaults. The defaults come from measurements on real
// MovieLens ratings (raw cosine, 50 neighbours), not from tuning on synthetic data.

export interface RecommenderOptions {
  /** Neighbours kept per movie (K). */
  neighbours?: number;
  /** Movies stored per user (N). */
  listSize?: number;
  /** Users with fewer ratings than this get the cold-start ranking. */
  minRatings?: number;
  /** Well-rated movies kept as cold-start candidates. */
  popularCandidates?: number;
  /** Weight of the global mean in a movie's damped mean, in ratings. */
  priorWeight?: number;
  /** Stars added to a cold-start candidate whose genres are all ones the user rated 4 or more. */
  genreBoost?: number;
  /** Ratings read per query. */
  pageSize?: number;
  /** Users (or movies) written per transaction. */
  writeBatch?: number;
  /** The time stamped on the lists written. */
  now?: () => Date;
}

export type Settings = Required<RecommenderOptions>;

export const DEFAULTS: Settings = {
  neighbours: 50,
  listSize: 50,
  minRatings: 5,
  popularCandidates: 500,
  priorWeight: 10,
  genreBoost: 1,
  pageSize: 20_000,
  writeBatch: 500,
  now: () => new Date(),
};

export function settings(options: RecommenderOptions = {}): Settings {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...DEFAULTS, ...defined };
}
