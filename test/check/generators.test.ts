// The schema-to-arbitrary translation and the negative mutations: generated bodies are valid by
// the schema (formats, nullable, oneOf, allOf, bounds, recursion) and never carry readOnly
// properties; every negative request breaks its schema exactly where it says.

import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createCheckValidators } from '../../src/check/check-validators.ts';
import type { CheckOperation } from '../../src/check/discover-operations.ts';
import { mutationsOf, negativeValues } from '../../src/check/negative-requests.ts';
import { arbitraryFor } from '../../src/check/schema-arbitrary.ts';
import { requestView } from '../../src/http/schema-views.ts';

const node: Record<string, unknown> = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 10 } },
};
(node.properties as Record<string, unknown>).children = { type: 'array', items: node };

const schema = {
  type: 'object',
  required: ['id', 'when', 'email', 'kind', 'score'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer', readOnly: true },
    when: { type: 'string', format: 'date-time' },
    day: { type: 'string', format: 'date' },
    email: { type: 'string', format: 'email', maxLength: 254 },
    key: { type: 'string', format: 'uuid' },
    site: { type: 'string', format: 'uri' },
    code: { type: 'string', pattern: '^[A-Z]{3}-\\d{2}$' },
    kind: { enum: ['cat', 'dog'] },
    note: { type: ['string', 'null'], maxLength: 5 },
    score: { type: 'number', minimum: 0.5, maximum: 5, multipleOf: 0.5 },
    count: { type: 'integer', format: 'int32', exclusiveMinimum: 0 },
    shape: {
      oneOf: [
        { type: 'object', required: ['r'], properties: { r: { type: 'number', minimum: 0 } } },
        { type: 'string', maxLength: 3 },
      ],
    },
    named: {
      allOf: [
        { type: 'object', required: ['a'], properties: { a: { type: 'boolean' } } },
        { required: ['b'], properties: { b: { type: 'integer' } } },
      ],
    },
    tags: { type: 'array', uniqueItems: true, maxItems: 3, items: { type: 'string' } },
    tree: node,
  },
};

it('generates bodies valid by the schema, with no readOnly property and bounded recursion', () => {
  const validate = createCheckValidators().exact(requestView(schema));
  fc.assert(
    fc.property(arbitraryFor(schema), (value) => {
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
      expect(value).not.toHaveProperty('id');
    }),
    { seed: 3, numRuns: 200 },
  );
});

it('makes each negative request invalid, and names what it broke', () => {
  const operation = {
    name: 'createThing',
    route: 'POST /things',
    method: 'POST',
    fullPath: '/things',
    parameters: [
      { name: 'limit', in: 'query', required: true, schema: { type: 'integer', maximum: 10 } },
    ],
    body: { mediaType: 'application/json', schema, required: true },
    bodyMediaTypes: ['application/json'],
    security: [],
    secured: false,
  } as unknown as CheckOperation;
  const described = mutationsOf(operation).map((m) => m.describe);
  expect(described).toEqual(
    expect.arrayContaining([
      'query.limit: required parameter missing',
      'query.limit: wrong type ("not-a-number")',
      'query.limit: above maximum',
      'malformed JSON body',
      'body sent as text/plain, a media type the operation does not take',
      'body.email: required property missing',
      'body.email: invalid email',
      'body.code: pattern mismatch ("")',
      'body.kind: not in enum',
      'body.score: above maximum',
      'body.note: too long',
      'body: a property the schema forbids (additionalProperties: false)',
    ]),
  );
  expect(described.some((d) => d.startsWith('body.id'))).toBe(false);
  const negative = negativeValues(operation, createCheckValidators(), 1)!;
  expect(negative.sweep.length).toBeGreaterThan(10);
  const validate = createCheckValidators().exact(requestView(schema));
  for (const { values, mutation } of fc.sample(negative.arbitrary, { seed: 2, numRuns: 100 })) {
    if (!mutation.startsWith('body.') && !mutation.startsWith('body:')) continue;
    expect(validate(values.body), mutation).toBe(false);
  }
});
