// How long a failed attempt waits before the next: exponential (or fixed) backoff with jitter, so
// jobs that failed together (a dependency down) do not all come back at the same moment.

import type { Backoff } from './job-types.ts';

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF: Backoff = { type: 'exponential', delay: 1000 };

/** Exponential waits are capped so a job with many attempts still comes back within a day. */
const MAX_DELAY = 24 * 60 * 60 * 1000;

/**
 * The wait after failed attempt number `attempt` (1-based): `delay` for fixed backoff, else
 * `delay * 2^(attempt-1)`, each scaled by a random factor in [0.8, 1.2] ("equal jitter" kept small
 * so tests and people can reason about it).
 */
export function retryDelay(backoff: Backoff, attempt: number, random = Math.random): number {
  const base =
    backoff.type === 'fixed' ? backoff.delay : backoff.delay * 2 ** Math.max(0, attempt - 1);
  const jittered = Math.round(Math.min(base, MAX_DELAY) * (0.8 + 0.4 * random()));
  return Math.max(0, jittered);
}
