// One movie of a user's list as it is stored, and the sentence that explains it.

export interface ListEntry {
  movieId: number;
  score: number;
  /** The rated movie that contributed most, for neighbour-based entries. */
  reasonMovieId: number | null;
  /** The user's rating of that movie. */
  reasonRating: number | null;
  /** The explanation when no rated movie is the reason (cold start). */
  reason: string | null;
}

const stars = (rating: number) => `${rating} ${rating === 1 ? 'star' : 'stars'}`;

export function reasonText(
  entry: Pick<ListEntry, 'reason' | 'reasonRating'>,
  reasonTitle: string | null,
): string {
  if (reasonTitle !== null && entry.reasonRating !== null) {
    return `because you rated ${reasonTitle} ${stars(entry.reasonRating)}`;
  }
  return entry.reason ?? 'popular with viewers';
}
