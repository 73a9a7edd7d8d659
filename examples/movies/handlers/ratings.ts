// PUT /movies/{movie_id}/rating: the caller's one rating of a movie, created (201) or replaced (200).

import {
  errors,
  type HandlerContext,
  isSpecstackError,
  respond,
  type Transaction,
} from 'specstack';
import { callerId } from '../lib/access.ts';

async function upsertRating(tx: Transaction, userId: number, movieId: number, rating: number) {
  const ratings = tx.repository('Rating');
  const { rows } = await ratings.list({
    filters: { user_id: userId, movie_id: movieId },
    sort: [],
    limit: 1,
  });
  const existing = rows[0];
  if (existing)
    return { row: await ratings.update(existing.id as number, { rating }), created: false };
  return {
    row: await ratings.insert({ user_id: userId, movie_id: movieId, rating }),
    created: true,
  };
}

export async function rateMovie(
  context: HandlerContext<{ movie_id: number }, object, { rating: number }>,
) {
  const movieId = context.params.movie_id;
  if (!(await context.db.repository('Movie').findByKey(movieId))) {
    throw errors.NOT_FOUND(`movie ${movieId} not found`);
  }
  const userId = callerId(context);
  const write = () =>
    context.db.transaction((tx) => upsertRating(tx, userId, movieId, context.body.rating));
  let result: Awaited<ReturnType<typeof write>>;
  try {
    result = await write();
  } catch (error) {
    // Two first ratings raced and the other won the unique (user, movie) pair: update it instead.
    if (!isSpecstackError(error) || error.code !== errors.UNIQUE_VIOLATION.code) throw error;
    result = await write();
  }
  return respond(result.created ? 201 : 200, result.row);
}
