// The recommender's surface: the two entry points the jobs call, and the reads the handlers use.

export { coldStartList, likedGenres, type PopularMovie } from './cold-start.ts';
export type { ListEntry } from './list-entry.ts';
export type { RecommenderOptions } from './options.ts';
export {
  describeEntries,
  type MovieSummary,
  type RecommendedMovie,
  readSimilar,
  readStoredList,
  type SimilarMovie,
} from './read-lists.ts';
export {
  type RecomputeOptions,
  type RecomputePhase,
  type RecomputeProgress,
  type RecomputeResult,
  recomputeAll,
} from './recompute-all.ts';
export { computeUserList, refreshUser } from './refresh-user.ts';
