// At startup the database may still be coming up (a container started alongside the app): the
// first contact is retried with backoff, but only for errors that waiting can cure.

import pRetry from 'p-retry';
import { DATABASE_UNREACHABLE } from '../errors.ts';
import type { Database } from './database.ts';

/** Connection refused or reset, DNS not ready, PostgreSQL starting up or out of connections. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P03',
  '53300',
]);

export function isTransientConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}

export interface WaitOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /** Told of each failed try that will be retried. */
  onRetry(message: string): void;
  /** Delay before the first retry, in milliseconds; later ones double, up to 5 s. */
  firstDelay?: number;
}

export async function waitForDatabase(db: Database, options: WaitOptions): Promise<void> {
  try {
    await pRetry(() => db.ping(), {
      retries: Math.max(0, options.attempts - 1),
      factor: 2,
      minTimeout: options.firstDelay ?? 250,
      maxTimeout: 5000,
      shouldRetry: (error) => isTransientConnectionError(error),
      onFailedAttempt: (error) => {
        if (error.retriesLeft > 0 && isTransientConnectionError(error)) {
          options.onRetry(
            `database ${db.displayUrl} not reachable (${error.message}); attempt ${error.attemptNumber} of ${options.attempts}, retrying`,
          );
        }
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw DATABASE_UNREACHABLE(`cannot reach the database ${db.displayUrl}: ${reason}`, {
      cause: error,
    });
  }
}
