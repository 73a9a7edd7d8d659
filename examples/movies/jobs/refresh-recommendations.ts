// One user's list, refreshed from the stored neighbours shortly after they rate (handlers/ratings.ts
// enqueues it debounced per user, so a burst of ratings costs one refresh).

import { defineJob } from 'specstack';
import { refreshUser } from '../lib/recommendations/index.ts';

export interface RefreshPayload {
  userId: number;
}

export default defineJob<RefreshPayload>({
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  timeout: 60_000,
  handler: async (context) => {
    const list = await refreshUser(context.db, context.payload.userId);
    // The account was deleted meanwhile: nothing to refresh, and nothing to retry.
    return list
      ? { userId: context.payload.userId, movies: list.length }
      : { skipped: 'no such user' };
  },
});
