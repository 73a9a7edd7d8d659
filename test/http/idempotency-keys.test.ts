// What an idempotency key stands for: one operation, one caller, one whole input. A retry with
// the key must match on every part of the request the work depends on, not only on the body.

import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { idempotencyKeys } from '../../src/http/idempotency-keys.ts';
import type { Operation } from '../../src/http/operations.ts';

const operation = {
  method: 'post',
  path: '/owners/{ownerId}/pets',
  routePath: '/owners/:ownerId/pets',
  operation: {},
  parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } }],
  pointer: 'openapi.yaml#/paths/~1owners~1{ownerId}~1pets/post',
  name: 'createPet',
} as unknown as Operation;

/** The parts of a request the key is read from. */
function requestWith(parts: {
  key?: string;
  params?: object;
  query?: object;
  body?: unknown;
  subject?: string;
}): FastifyRequest {
  return {
    headers: parts.key === undefined ? {} : { 'idempotency-key': parts.key },
    params: parts.params ?? { ownerId: 1 },
    query: parts.query ?? {},
    body: parts.body ?? { name: 'Rex' },
    principal: parts.subject === undefined ? undefined : { subject: parts.subject, scopes: [] },
  } as unknown as FastifyRequest;
}

describe('idempotency keys', () => {
  const keyOf = idempotencyKeys(operation)!;

  it('are read only where the operation declares the header, and only when a request sends one', () => {
    expect(idempotencyKeys({ ...operation, parameters: [] })).toBeUndefined();
    expect(keyOf(requestWith({}))).toBeUndefined();
  });

  it('match a retry of the same request, and no request with other parameters, query or body', () => {
    const first = keyOf(requestWith({ key: 'k' }))!;
    expect(keyOf(requestWith({ key: 'k' }))).toEqual(first);
    for (const other of [
      requestWith({ key: 'k', params: { ownerId: 2 } }),
      requestWith({ key: 'k', query: { notify: true } }),
      requestWith({ key: 'k', body: { name: 'Max' } }),
    ]) {
      const key = keyOf(other)!;
      expect(key.scope).toBe(first.scope);
      expect(key.inputHash).not.toBe(first.inputHash);
    }
  });

  it("are each caller's own", () => {
    const anonymous = keyOf(requestWith({ key: 'k' }))!;
    const ann = keyOf(requestWith({ key: 'k', subject: 'ann' }))!;
    const bob = keyOf(requestWith({ key: 'k', subject: 'bob' }))!;
    expect(new Set([anonymous.scope, ann.scope, bob.scope]).size).toBe(3);
  });
});
