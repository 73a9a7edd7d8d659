import { describe, expect, it } from 'vitest';
import { requestView, responseView } from '../../src/http/schema-views.ts';
import { createValidators } from '../../src/http/validator.ts';

const pet = {
  type: 'object',
  required: ['id', 'name', 'secret'],
  properties: {
    id: { type: 'integer', readOnly: true },
    name: { type: 'string' },
    secret: { type: 'string', writeOnly: true },
    owner: {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'integer', readOnly: true },
        token: { type: 'string', writeOnly: true },
      },
    },
  },
};

describe('request and response views of a schema', () => {
  const { exact } = createValidators();

  it('refuses readOnly properties in a request, at any depth, and stops requiring them', () => {
    const validate = exact.compile(requestView(pet));
    expect(validate({ name: 'a', secret: 's' })).toBe(true);
    expect(validate({ id: 1, name: 'a', secret: 's' })).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/id');
    expect(validate({ name: 'a', secret: 's', owner: { id: 2 } })).toBe(false);
    expect(validate({ name: 'a', secret: 's', owner: {} })).toBe(true);
  });

  it('removes writeOnly properties from a response and stops requiring them', () => {
    const view = responseView(pet);
    expect(Object.keys(view.properties as object)).toEqual(['id', 'name', 'owner']);
    expect(view.required).toEqual(['id', 'name']);
    const owner = (view.properties as Record<string, Record<string, unknown>>).owner!;
    expect(Object.keys(owner.properties as object)).toEqual(['id']);
  });

  it('derives each view once per schema object and leaves the original untouched', () => {
    expect(requestView(pet)).toBe(requestView(pet));
    expect(pet.required).toEqual(['id', 'name', 'secret']);
    expect(Object.keys(pet.properties)).toContain('secret');
  });
});
