import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { NOT_FOUND } from '../../src/errors.ts';
import { describeError } from '../../src/http/error-handler.ts';

const request = { id: 'req-1', url: '/api/pets/7?x=1', headers: {} } as unknown as FastifyRequest;

describe('describing an error for the client', () => {
  it('keeps a SpecstackError status, code and message', () => {
    expect(describeError(NOT_FOUND('Pet 7 not found'), request)).toEqual({
      status: 404,
      code: 'SPECSTACK_ERR_NOT_FOUND',
      message: 'Pet 7 not found',
      requestId: 'req-1',
      instance: '/api/pets/7',
    });
  });

  it('gives a handler error with a client status the code of that status', () => {
    const unauthorized = Object.assign(new Error('wrong email or password'), { statusCode: 401 });
    expect(describeError(unauthorized, request)).toMatchObject({
      status: 401,
      code: 'SPECSTACK_ERR_UNAUTHORIZED',
      message: 'wrong email or password',
    });
    const teapot = Object.assign(new Error('short and stout'), { statusCode: 418 });
    expect(describeError(teapot, request)).toMatchObject({
      status: 418,
      code: 'SPECSTACK_ERR_CLIENT_ERROR',
    });
  });

  it('turns anything else into a 500 that reveals nothing', () => {
    const description = describeError(new Error('connection string postgres://secret'), request);
    expect(description).toMatchObject({ status: 500, code: 'SPECSTACK_ERR_INTERNAL' });
    expect(description.message).not.toContain('secret');
  });
});
