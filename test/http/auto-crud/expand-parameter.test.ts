import { describe, expect, it } from 'vitest';
import { expandableRelationships } from '../../../src/http/auto-crud/expand-parameter.ts';
import { inferCrud } from '../../../src/http/auto-crud/infer-crud.ts';
import type { Operation } from '../../../src/http/operations.ts';
import { deriveModel } from '../../../src/model/derive-model.ts';

const Division = {
  type: 'object',
  'x-tablename': 'divisions',
  properties: { id: { type: 'integer', 'x-primary-key': true } },
};
const Employee = {
  type: 'object',
  'x-tablename': 'employees',
  required: ['division'],
  properties: {
    id: { type: 'integer', 'x-primary-key': true },
    name: { type: 'string' },
    division: Division,
    mentor: Division,
  },
};

function read(expandSchema: unknown): { error?: { code: string; message: string } } {
  const document = {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {},
    components: { schemas: { Division, Employee } },
  };
  const model = deriveModel(document, 'openapi.yaml');
  const operation: Operation = {
    method: 'get',
    path: '/employees/{id}',
    routePath: '/employees/:id',
    operation: {
      responses: {
        '200': { description: 'ok', content: { 'application/json': { schema: Employee } } },
      },
    },
    parameters: [
      { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
      { name: 'expand', in: 'query', schema: expandSchema },
    ],
    pointer: 'openapi.yaml#/paths/~1employees~1{id}/get',
    name: 'getEmployee',
  } as unknown as Operation;
  const plan = inferCrud(operation, [operation], model)!;
  try {
    expandableRelationships(operation, plan);
    return {};
  } catch (error) {
    return { error: error as { code: string; message: string } };
  }
}

describe('the expand parameter of auto-CRUD reads', () => {
  it('accepts an enum of relationships the answer may leave out', () => {
    expect(read({ type: 'array', items: { type: 'string', enum: ['mentor'] } }).error).toBe(
      undefined,
    );
  });

  it('refuses at start-up an expand without an enum, naming its pointer', () => {
    const { error } = read({ type: 'string' });
    expect(error?.code).toBe('SPECSTACK_ERR_SPEC_INVALID');
    expect(error?.message).toContain(
      'openapi.yaml#/paths/~1employees~1{id}/get/parameters/1/schema',
    );
  });

  it('refuses a name that is no relationship, or one the schema requires', () => {
    expect(read({ type: 'string', enum: ['name'] }).error?.message).toContain(
      'expand names "name", which is no relationship Employee shows',
    );
    expect(read({ type: 'string', enum: ['division'] }).error?.message).toContain(
      'which Employee requires',
    );
  });
});
