// Long computations give the event loop a turn now and then, so a server running a job keeps
// answering requests, and an abort signal is noticed.

import { setImmediate } from 'node:timers/promises';

export const yieldToEventLoop = (): Promise<void> => setImmediate();

/** Calls back at most every `intervalMs`: cheap enough to ask on every loop iteration. */
export function timeSlicer(intervalMs = 50): () => boolean {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < intervalMs) return false;
    last = now;
    return true;
  };
}
