// x-owner-only on an auto-CRUD list: planned as the caller's rows of an x-owner schema, and
// refused at startup anywhere it cannot mean that.

import { describe, expect, it } from 'vitest';
import { inferCrud } from '../../../src/http/auto-crud/infer-crud.ts';
import { listOperations } from '../../../src/http/operations.ts';
import { deriveModel } from '../../../src/model/derive-model.ts';

const note = (owner: boolean) => ({
  type: 'object',
  'x-tablename': 'notes',
  ...(owner ? { 'x-owner': 'user_id' } : {}),
  properties: {
    id: { type: 'integer', 'x-primary-key': true },
    user_id: { type: 'string' },
  },
});

function plan(method: 'get' | 'post', path: string, owner = true) {
  const schema = note(owner);
  const list = { type: 'array', items: schema };
  const document = {
    paths: {
      [path]: {
        [method]: {
          'x-owner-only': true,
          responses: {
            '200': {
              description: 'ok',
              content: { 'application/json': { schema: method === 'get' ? list : schema } },
            },
          },
        },
      },
    },
    components: { schemas: { Note: schema } },
  };
  const operations = listOperations(document, 'openapi.yaml');
  return inferCrud(operations[0]!, operations, deriveModel(document, 'openapi.yaml'));
}

describe('x-owner-only', () => {
  it('plans a list of the caller’s rows', () => {
    expect(plan('get', '/me/notes')).toMatchObject({ action: 'list', ownerOnly: true });
  });

  it('is refused on a schema without x-owner, and on anything but a list', () => {
    expect(() => plan('get', '/me/notes', false)).toThrow(/x-owner-only: lists only the caller/);
    expect(() => plan('post', '/me/notes')).toThrow(/x-owner-only/);
  });
});
