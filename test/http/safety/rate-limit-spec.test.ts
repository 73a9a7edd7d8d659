// x-rate-limit is read once at startup; a malformed one is a spec error naming its pointer.

import { expect, it } from 'vitest';
import type { Operation } from '../../../src/http/operations.ts';
import { rateLimitRuleOf } from '../../../src/http/safety/rate-limit-spec.ts';

const operation = (extension: unknown) =>
  ({
    pointer: 'openapi.yaml#/paths/~1login/post',
    operation: { 'x-rate-limit': extension, responses: {} },
  }) as unknown as Operation;

it('reads max, window in seconds and per-account failures', () => {
  expect(rateLimitRuleOf(operation({ max: 5, failures: { field: 'email', max: 3 } }))).toEqual({
    max: 5,
    windowMs: 60_000,
    failures: { field: 'email', max: 3 },
  });
  expect(rateLimitRuleOf(operation(undefined))).toBeUndefined();
});

it('refuses a malformed x-rate-limit with SPECSTACK_ERR_SPEC_INVALID and its pointer', () => {
  for (const bad of [true, { max: 0 }, { max: 5, window: '1 minute' }, { max: 5, failures: {} }]) {
    expect(() => rateLimitRuleOf(operation(bad))).toThrow(
      expect.objectContaining({
        code: 'SPECSTACK_ERR_SPEC_INVALID',
        pointer: 'openapi.yaml#/paths/~1login/post/x-rate-limit',
      }),
    );
  }
});
