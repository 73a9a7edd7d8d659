// Every user's list and every movie's neighbours, recomputed from all ratings (lib/recommendations/).
// Nightly at 03:00 UTC; a night missed while everything was down is made up once at start.
// `specstack jobs run recommendations --wait --app examples/movies` runs it now.

import { defineJob } from 'specstack';
import { type RecomputeProgress, recomputeAll } from '../lib/recommendations/index.ts';

/** Progress reports are rows or Redis writes: one a second is plenty for a person watching. */
const PROGRESS_EVERY_MS = 1000;

export default defineJob({
  schedule: { cron: '0 3 * * *', timezone: 'UTC', missed: 'run-once' },
  attempts: 2,
  backoff: { type: 'fixed', delay: 60_000 },
  timeout: 30 * 60_000,
  concurrency: 1,
  handler: async (context) => {
    let reportedAt = 0;
    const onProgress = ({ phase, done, total }: RecomputeProgress) => {
      const now = Date.now();
      if (now - reportedAt < PROGRESS_EVERY_MS && done !== total) return;
      reportedAt = now;
      context.progress({ phase, done, total }).catch((error: unknown) => {
        context.log.warn({ err: error }, 'could not report progress');
      });
    };
    const result = await recomputeAll(context.db, { signal: context.signal, onProgress });
    context.log.info(result, 'recommendations recomputed');
    return result;
  },
});
