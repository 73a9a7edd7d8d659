// What a request the route's schemas refuse becomes before the error handler answers it: Fastify's
// message, on an error with no stack (capturing one was a quarter of a 400's instructions).

import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { withoutStack } from '../../src/errors.ts';
import { requestSchemaError } from '../../src/http/request-errors.ts';
import type { ErrorObject } from '../../src/http/validator.ts';

const errors = [
  { instancePath: '', message: "must have required property 'name'" },
  { instancePath: '/tag', message: 'must be string' },
] as ErrorObject[];

const limit = Error.stackTraceLimit;
afterEach(() => {
  Error.stackTraceLimit = limit;
});

describe('the errors of refused requests', () => {
  it("carry Fastify's own message and no stack frames", () => {
    const error = requestSchemaError(errors, 'body');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe("body must have required property 'name', body/tag must be string");
    expect(error.stack).toBe(`Error: ${error.message}`);
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it('reach the error handler from a Fastify route as its default formatter would send them', async () => {
    const seen: Error[] = [];
    const app = Fastify({ schemaErrorFormatter: requestSchemaError });
    app.setErrorHandler((error, _request, reply) => {
      seen.push(error as Error);
      return reply.code(400).send({ message: (error as Error).message });
    });
    app.post('/pets', { schema: { body: { type: 'object', required: ['name'] } } }, () => ({
      ok: true,
    }));
    const answer = await app.inject({ method: 'POST', url: '/pets', payload: { tag: 'dog' } });
    await app.close();
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toEqual({ message: "body must have required property 'name'" });
    expect(seen[0]).toMatchObject({ validationContext: 'body', code: 'FST_ERR_VALIDATION' });
    expect(seen[0]!.stack).toBe(`Error: ${seen[0]!.message}`);
  });

  it('leave the stack trace limit as it was, even when building one throws', () => {
    Error.stackTraceLimit = 7;
    expect(() =>
      withoutStack(() => {
        throw new TypeError('no');
      }),
    ).toThrow('no');
    expect(Error.stackTraceLimit).toBe(7);
    expect(withoutStack(() => new RangeError('x')).stack).toBe('RangeError: x');
  });
});
