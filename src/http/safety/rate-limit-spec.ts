// The `x-rate-limit` extension of an operation: how many requests one client address may send in
// a window, and optionally how many failed attempts (401) one account may make in it, the account
// named by a body property (brute-force protection on login).
//
//   x-rate-limit: { max: 20, window: 60, failures: { field: email, max: 5 } }

import { SPEC_INVALID } from '../../errors.ts';
import type { Operation } from '../operations.ts';

export interface RateLimitRule {
  /** Requests per window from one client address. */
  max: number;
  /** The window, in milliseconds. */
  windowMs: number;
  /** Failed attempts per window for one account, the account read from `body[field]`. */
  failures?: { field: string; max: number };
}

const DEFAULT_WINDOW_SECONDS = 60;

function positiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

function invalid(operation: Operation, message: string): never {
  throw SPEC_INVALID(`${operation.pointer}/x-rate-limit: ${message}`, {
    pointer: `${operation.pointer}/x-rate-limit`,
  });
}

export function rateLimitRuleOf(operation: Operation): RateLimitRule | undefined {
  const declared = (operation.operation as Record<string, unknown>)['x-rate-limit'];
  if (declared === undefined || declared === false) return undefined;
  if (typeof declared !== 'object' || declared === null) {
    invalid(operation, 'must be an object like { max: 20, window: 60 }');
  }
  const { max, window = DEFAULT_WINDOW_SECONDS, failures } = declared as Record<string, unknown>;
  if (!positiveInteger(max)) invalid(operation, 'max must be a positive integer');
  if (!positiveInteger(window)) invalid(operation, 'window must be a positive number of seconds');
  const rule: RateLimitRule = { max, windowMs: window * 1000 };
  if (failures !== undefined) {
    const { field, max: failureMax } = (failures ?? {}) as Record<string, unknown>;
    if (typeof field !== 'string' || !positiveInteger(failureMax)) {
      invalid(operation, 'failures must be { field: <body property>, max: <positive integer> }');
    }
    rule.failures = { field, max: failureMax };
  }
  return rule;
}
