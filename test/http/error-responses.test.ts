import { describe, expect, it } from 'vitest';
import { ErrorResponder, fillErrorBody } from '../../src/http/error-responses.ts';
import { createValidators } from '../../src/http/validator.ts';

const notFound = { status: 404, code: 'SPECSTACK_ERR_NOT_FOUND', message: 'Pet 7 not found' };

function operationWith(schema: Record<string, unknown>, status = 'default') {
  return { responses: { [status]: { content: { 'application/json': { schema } } } } };
}

describe('error bodies in the shape the spec declares', () => {
  it('fills the petstore Error {code: int32, message} with the status as code', () => {
    const schema = {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'integer', format: 'int32' }, message: { type: 'string' } },
    };
    expect(fillErrorBody(schema, notFound)).toEqual({ code: 404, message: 'Pet 7 not found' });
  });

  it('puts the stable SPECSTACK code in a string code property', () => {
    const schema = {
      type: 'object',
      properties: { code: { type: 'string' }, detail: { type: 'string' } },
    };
    expect(fillErrorBody(schema, notFound)).toEqual({
      code: 'SPECSTACK_ERR_NOT_FOUND',
      detail: 'Pet 7 not found',
    });
  });

  it('merges allOf parts and lists field errors as objects or strings', () => {
    const schema = {
      allOf: [
        { type: 'object', required: ['status'], properties: { status: { type: 'integer' } } },
        {
          type: 'object',
          properties: {
            errors: { type: 'array', items: { type: 'object', properties: { path: {}, msg: {} } } },
            details: { type: 'array', items: { type: 'string' } },
          },
        },
      ],
    };
    const body = fillErrorBody(schema, {
      status: 400,
      code: 'SPECSTACK_ERR_VALIDATION',
      message: 'bad',
      errors: [{ field: 'body.name', message: 'must be string' }],
    });
    expect(body).toEqual({
      status: 400,
      errors: [{ path: 'body.name', msg: 'must be string' }],
      details: ['body.name: must be string'],
    });
  });

  it('uses the exact status, then the range, then default', () => {
    const operation = {
      responses: {
        '404': {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { missing: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
        '4XX': {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { client: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
        default: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { other: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    };
    const responder = new ErrorResponder(operation, createValidators());
    expect(responder.reply(notFound).body).toEqual({ message: 'Pet 7 not found' });
    expect(responder.reply({ ...notFound, status: 409 }).contentType).toBe('application/json');
    expect(responder.reply({ ...notFound, status: 500 }).contentType).toBe('application/json');
  });

  it('falls back to RFC 9457 problem+json when a required property cannot be filled', () => {
    const schema = {
      type: 'object',
      required: ['message', 'tenant'],
      properties: { message: { type: 'string' }, tenant: { type: 'string' } },
    };
    const responder = new ErrorResponder(operationWith(schema), createValidators());
    responder.verify([400, 404]);
    expect(responder.unfillable).toEqual(['400', '404']);
    const reply = responder.reply(notFound);
    expect(reply.contentType).toBe('application/problem+json');
    expect(reply.body).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Pet 7 not found',
      code: 'SPECSTACK_ERR_NOT_FOUND',
    });
  });
});
