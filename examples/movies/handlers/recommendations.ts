// Recommendations: a user's stored list (computed on the fly while none is stored, so it is never
// empty), and a movie's neighbours. Lists are written by the recommendations job
// (lib/recommendations/); reading one is a single query.

import { errors, type HandlerContext } from 'specstack';
import { callerId, requireSelfOrAdmin } from '../lib/access.ts';
import {
  computeUserList,
  describeEntries,
  readSimilar,
  readStoredList,
} from '../lib/recommendations/index.ts';
import { queryRows } from '../lib/sql.ts';

type Limit = { limit: number };

async function recommendationsOf(
  context: Pick<HandlerContext, 'db'>,
  userId: number,
  limit: number,
) {
  const stored = await readStoredList(context.db, userId, limit);
  if (stored.length > 0) return stored;
  const users = await queryRows(context.db, 'SELECT id FROM users WHERE id = ?', [userId]);
  if (users.length === 0) throw errors.NOT_FOUND(`user ${userId} not found`);
  const entries = await computeUserList(context.db, userId, { listSize: limit });
  return describeEntries(context.db, entries);
}

export async function getMyRecommendations(context: HandlerContext<object, Limit>) {
  return recommendationsOf(context, callerId(context), context.query.limit);
}

export async function getUserRecommendations(context: HandlerContext<{ id: number }, Limit>) {
  requireSelfOrAdmin(context, context.params.id);
  return recommendationsOf(context, context.params.id, context.query.limit);
}

export async function getSimilarMovies(context: HandlerContext<{ id: number }, Limit>) {
  const similar = await readSimilar(context.db, context.params.id, context.query.limit);
  if (similar) return similar;
  const movies = await queryRows(context.db, 'SELECT id FROM movies WHERE id = ?', [
    context.params.id,
  ]);
  if (movies.length === 0) throw errors.NOT_FOUND(`movie ${context.params.id} not found`);
  return [];
}
