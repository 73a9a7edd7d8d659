// Recommendations: a user's stored list (computed on the fly while none is stored, so it is never
// empty), and a movie's neighbours. Lists are written by the recommendations job
// (lib/recommendations/); reading one is a single query.

import { errors } from 'specstack';
import { callerId, requireSelfOrAdmin } from '../lib/access.ts';
import {
  computeUserList,
  describeEntries,
  readSimilar,
  readStoredList,
} from '../lib/recommendations/index.ts';
import { queryRows } from '../lib/sql.ts';
import { type Db, handler } from '../types/spec.ts';

async function recommendationsOf(db: Db, userId: number, limit: number) {
  const stored = await readStoredList(db, userId, limit);
  if (stored.length > 0) return stored;
  const users = await queryRows(db, 'SELECT id FROM users WHERE id = ?', [userId]);
  if (users.length === 0) throw errors.NOT_FOUND(`user ${userId} not found`);
  const entries = await computeUserList(db, userId, { listSize: limit });
  return describeEntries(db, entries);
}

export const getMyRecommendations = handler('getMyRecommendations', async (context) =>
  recommendationsOf(context.db, callerId(context), context.query.limit),
);

export const getUserRecommendations = handler('getUserRecommendations', async (context) => {
  requireSelfOrAdmin(context, context.params.id);
  return recommendationsOf(context.db, context.params.id, context.query.limit);
});

export const getSimilarMovies = handler('getSimilarMovies', async (context) => {
  const similar = await readSimilar(context.db, context.params.id, context.query.limit);
  if (similar) return similar;
  const movies = await queryRows(context.db, 'SELECT id FROM movies WHERE id = ?', [
    context.params.id,
  ]);
  if (movies.length === 0) throw errors.NOT_FOUND(`movie ${context.params.id} not found`);
  return [];
});
