import { describe, expect, it } from 'vitest';
import {
  convertNullable,
  mergeParameters,
  normalizeSchema,
} from '../../src/spec/normalize-schema.ts';
import type { ParameterObject, SchemaObject } from '../../src/spec/openapi-types.ts';

describe('normalizeSchema (3.0 -> 3.1 form)', () => {
  it('turns a nullable scalar into a type list with null', () => {
    expect(normalizeSchema({ type: 'string', nullable: true, maxLength: 5 })).toEqual({
      type: ['string', 'null'],
      maxLength: 5,
    });
  });

  it('adds null to the enum of a nullable enum, so null is still accepted', () => {
    expect(normalizeSchema({ type: 'string', nullable: true, enum: ['a', 'b'] })).toEqual({
      type: ['string', 'null'],
      enum: ['a', 'b', null],
    });
  });

  it('drops nullable: false without other change', () => {
    expect(normalizeSchema({ type: 'integer', nullable: false })).toEqual({ type: 'integer' });
  });

  it('makes a nullable reference (allOf of one schema) anyOf [that schema, null], keeping annotations outside', () => {
    const pet: SchemaObject = { type: 'object', properties: { name: { type: 'string' } } };
    const memo = new Map<object, object>();
    const normalizedPet = normalizeSchema(pet, memo);
    const owner = normalizeSchema(
      {
        allOf: [pet],
        nullable: true,
        description: 'the owner',
        readOnly: true,
        'x-backref': 'pets',
      },
      memo,
    );
    expect(owner).toEqual({
      description: 'the owner',
      readOnly: true,
      'x-backref': 'pets',
      anyOf: [normalizedPet, { type: 'null' }],
    });
    // The branch is the normalized shared schema itself, not a copy.
    expect(owner.anyOf?.[0]).toBe(normalizedPet);
  });

  it('wraps a nullable oneOf in anyOf with a null branch', () => {
    expect(
      normalizeSchema({ oneOf: [{ type: 'string' }, { type: 'integer' }], nullable: true }),
    ).toEqual({ anyOf: [{ oneOf: [{ type: 'string' }, { type: 'integer' }] }, { type: 'null' }] });
  });

  it('appends null to an existing anyOf instead of nesting it', () => {
    expect(convertNullable({ anyOf: [{ type: 'string' }], nullable: true })).toEqual({
      anyOf: [{ type: 'string' }, { type: 'null' }],
    });
  });

  it('rewrites boolean exclusiveMinimum/exclusiveMaximum to their numeric form', () => {
    expect(
      normalizeSchema({
        type: 'number',
        minimum: 0,
        exclusiveMinimum: true,
        maximum: 10,
        exclusiveMaximum: true,
      }),
    ).toEqual({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 10 });
  });

  it('keeps the inclusive bound when the exclusive flag is false', () => {
    expect(normalizeSchema({ type: 'integer', minimum: 1, exclusiveMinimum: false })).toEqual({
      type: 'integer',
      minimum: 1,
    });
  });

  it('leaves vendor extensions, format, default, example, readOnly and writeOnly untouched', () => {
    const schema = {
      type: 'string',
      format: 'date-time',
      default: '2020-01-01T00:00:00Z',
      example: '2021-01-01T00:00:00Z',
      readOnly: true,
      writeOnly: false,
      'x-index': true,
    };
    expect(normalizeSchema(schema)).toEqual(schema);
  });

  it('normalizes nested properties, items, additionalProperties and combinators', () => {
    const result = normalizeSchema({
      type: 'object',
      properties: { tags: { type: 'array', items: { type: 'string', nullable: true } } },
      additionalProperties: { type: 'integer', nullable: true },
      allOf: [
        {
          type: 'object',
          properties: { n: { type: 'number', minimum: 0, exclusiveMinimum: true } },
        },
      ],
    });
    expect(result.properties?.tags?.items).toEqual({ type: ['string', 'null'] });
    expect(result.additionalProperties).toEqual({ type: ['integer', 'null'] });
    expect(result.allOf?.[0]?.properties?.n).toEqual({ type: 'number', exclusiveMinimum: 0 });
  });

  it('does not modify its input', () => {
    const input = { type: 'string', nullable: true, enum: ['a'] };
    const before = structuredClone(input);
    normalizeSchema(input);
    expect(input).toEqual(before);
  });

  it('returns one shared output for a schema used in several places', () => {
    const shared = { type: 'string', nullable: true };
    const result = normalizeSchema({ type: 'object', properties: { a: shared, b: shared } });
    expect(result.properties?.a).toBe(result.properties?.b);
  });

  it('does not recurse into data keywords such as default and example', () => {
    const result = normalizeSchema({
      type: 'object',
      default: { nullable: true },
      example: { nullable: true },
    });
    expect(result.default).toEqual({ nullable: true });
    expect(result.example).toEqual({ nullable: true });
  });
});

describe('mergeParameters', () => {
  const path = (name: string, extra: Partial<ParameterObject> = {}): ParameterObject => ({
    name,
    in: 'path',
    required: true,
    ...extra,
  });
  const query = (name: string, extra: Partial<ParameterObject> = {}): ParameterObject => ({
    name,
    in: 'query',
    ...extra,
  });

  it('gives an operation the parameters of its path item', () => {
    expect(mergeParameters([path('id')], [query('limit')])).toEqual([path('id'), query('limit')]);
  });

  it('lets the operation override a path-item parameter with the same name and in', () => {
    const merged = mergeParameters(
      [path('id'), query('verbose', { description: 'path level' })],
      [query('verbose', { description: 'operation level' })],
    );
    expect(merged).toEqual([path('id'), query('verbose', { description: 'operation level' })]);
  });

  it('keeps parameters that share a name but not a location', () => {
    expect(mergeParameters([query('id')], [path('id')])).toEqual([query('id'), path('id')]);
  });

  it('returns an empty list when neither level declares parameters', () => {
    expect(mergeParameters(undefined, undefined)).toEqual([]);
  });
});
