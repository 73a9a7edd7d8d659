// PUT /movies/{movie_id}/rating: the caller's one rating of a movie, created (201) or replaced
// (200); the answer's `movie` comes from the Rating.movie relationship. The rating also asks for a
// refresh of the caller's recommendations, debounced per user and enqueued in the rating's
// transaction: a burst of ratings costs one refresh, and a rating that rolls back asks for none.

import { errors, isSpecstackError, respond } from 'specstack';
import { callerId } from '../lib/access.ts';
import { handler, type Tx } from '../types/spec.ts';

/** How long after a rating the refresh runs; ratings meanwhile join it (MOVIES_REFRESH_DELAY_MS). */
const REFRESH_DELAY_MS = Number(process.env.MOVIES_REFRESH_DELAY_MS) || 10_000;

async function upsertRating(tx: Tx, userId: number, movieId: number, rating: number) {
  const ratings = tx.repository('Rating');
  const { rows } = await ratings.list({
    filters: { user_id: userId, movie_id: movieId },
    sort: [],
    limit: 1,
  });
  const existing = rows[0];
  if (existing) {
    const row = await ratings.update(existing.id, { rating });
    // Undefined only if the rating was deleted in between: then it is created anew.
    if (row) return { row, created: false };
  }
  return {
    row: await ratings.insert({ user_id: userId, movie_id: movieId, rating }),
    created: true,
  };
}

export const rateMovie = handler('rateMovie', async (context) => {
  const movieId = context.params.movie_id;
  if (!(await context.db.repository('Movie').findByKey(movieId))) {
    throw errors.NOT_FOUND(`movie ${movieId} not found`);
  }
  const userId = callerId(context);
  const write = () =>
    context.db.transaction(async (tx) => {
      const result = await upsertRating(tx, userId, movieId, context.body.rating);
      await context.jobs.enqueue(
        'refresh-recommendations',
        { userId },
        { debounce: { id: `user-${userId}`, delay: REFRESH_DELAY_MS }, transaction: tx },
      );
      return result;
    });
  let result: Awaited<ReturnType<typeof write>>;
  try {
    result = await write();
  } catch (error) {
    // Two first ratings raced and the other won the unique (user, movie) pair: update it instead.
    if (!isSpecstackError(error) || error.code !== errors.UNIQUE_VIOLATION.code) throw error;
    result = await write();
  }
  return respond(result.created ? 201 : 200, result.row);
});
