// JSON Schema to fast-check arbitrary: values valid by the schema, for request bodies and
// parameters. readOnly properties (and the request view's markers of them) are never generated
// (a client does not send them); recursion stops at a bounded depth, where only required
// properties and minimum item counts remain.

import fc from 'fast-check';
import type { Schema } from '../http/operations.ts';
import { READ_ONLY_MARKER } from '../http/schema-views.ts';

const MAX_DEPTH = 4;
const DEFAULT_MAX_LENGTH = 40;
const DEFAULT_MAX_ITEMS = 4;
const INT32 = 2 ** 31;

export interface GenerateOptions {
  /** Text that travels in a URL or a header: printable ASCII, non-empty for paths. */
  text?: 'any' | 'header' | 'path';
}

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** allOf flattened into one schema: properties and required lists joined, other keywords last-wins. */
export function mergeAllOf(schema: Schema): Schema {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  let merged: Schema = {};
  for (const part of [...(allOf as Schema[]).map(mergeAllOf), rest]) {
    merged = {
      ...merged,
      ...part,
      properties: { ...(merged.properties as object), ...(part.properties as object) },
      required: [...((merged.required as string[]) ?? []), ...((part.required as string[]) ?? [])],
    };
  }
  if (Object.keys(merged.properties as object).length === 0) delete merged.properties;
  return merged;
}

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.properties || schema.additionalProperties !== undefined) return ['object'];
  if (schema.items) return ['array'];
  return [];
}

function integerArbitrary(schema: Schema): fc.Arbitrary<number> {
  const wide = schema.format === 'int32' ? INT32 - 1 : Number.MAX_SAFE_INTEGER;
  let min = typeof schema.minimum === 'number' ? Math.ceil(schema.minimum) : -wide;
  let max = typeof schema.maximum === 'number' ? Math.floor(schema.maximum) : wide;
  if (typeof schema.exclusiveMinimum === 'number') min = Math.floor(schema.exclusiveMinimum) + 1;
  if (typeof schema.exclusiveMaximum === 'number') max = Math.ceil(schema.exclusiveMaximum) - 1;
  const step = typeof schema.multipleOf === 'number' ? schema.multipleOf : 1;
  if (step !== 1) {
    return fc
      .integer({ min: Math.ceil(min / step), max: Math.floor(max / step) })
      .map((n) => n * step);
  }
  return fc.integer({ min, max });
}

function numberArbitrary(schema: Schema): fc.Arbitrary<number> {
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1e9;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1e9;
  if (typeof schema.multipleOf === 'number') {
    const step = schema.multipleOf;
    return fc
      .integer({ min: Math.ceil(min / step), max: Math.floor(max / step) })
      .map((n) => Number((n * step).toPrecision(12)));
  }
  return fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true })
    .filter(
      (n) =>
        !Object.is(n, -0) &&
        (typeof schema.exclusiveMinimum !== 'number' || n > schema.exclusiveMinimum) &&
        (typeof schema.exclusiveMaximum !== 'number' || n < schema.exclusiveMaximum),
    );
}

const DATE_RANGE = { min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z') };

function formatArbitrary(format: string): fc.Arbitrary<string> | undefined {
  const date = fc.date({ ...DATE_RANGE, noInvalidDate: true });
  switch (format) {
    case 'date-time':
      return date.map((d) => d.toISOString());
    case 'date':
      return date.map((d) => d.toISOString().slice(0, 10));
    case 'time':
      return date.map((d) => `${d.toISOString().slice(11, 19)}Z`);
    case 'email':
      return (
        fc
          // eslint-disable-next-line security/detect-unsafe-regex -- linear: no repetition can match the same text two ways (checked on 1 MB inputs)
          .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,7}(?:[._-][a-z0-9]{1,6})?$/), fc.domain())
          .map(([local, domain]) => `${local}@${domain}`)
      );
    case 'uuid':
      return fc.uuid();
    case 'uri':
    case 'url':
      return fc.webUrl();
    case 'hostname':
      return fc.domain();
    case 'ipv4':
      return fc.ipV4();
    case 'ipv6':
      return fc.ipV6();
    case 'byte':
      return fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b).toString('base64'));
    default:
      return undefined;
  }
}

function stringArbitrary(schema: Schema, options: GenerateOptions): fc.Arbitrary<string> {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = Math.max(
    minLength,
    typeof schema.maxLength === 'number' ? Math.min(schema.maxLength, 200) : DEFAULT_MAX_LENGTH,
  );
  const fits = (s: string) =>
    [...s].length >= minLength &&
    (typeof schema.maxLength !== 'number' || [...s].length <= schema.maxLength);
  const format = typeof schema.format === 'string' ? formatArbitrary(schema.format) : undefined;
  if (format) return format.filter(fits);
  if (typeof schema.pattern === 'string') {
    // eslint-disable-next-line security/detect-non-literal-regexp -- a pattern of the app's own spec, for the contract checker the developer runs
    return fc.stringMatching(new RegExp(schema.pattern, 'u')).filter(fits);
  }
  const text = options.text ?? 'any';
  if (text !== 'any') {
    const unit = fc.constantFrom(
      ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~',
    );
    return fc
      .string({ unit, minLength: Math.max(minLength, text === 'path' ? 1 : 0), maxLength })
      .filter((s) => s !== '.' && s !== '..');
  }
  // A grapheme can be several code points, and JSON Schema counts code points: hence the filter.
  return fc
    .oneof(
      fc.string({ minLength, maxLength }),
      fc.string({ unit: 'grapheme', minLength, maxLength }),
      // Any code point, control characters and NUL included: a text column may refuse some.
      fc.string({ unit: 'binary', minLength, maxLength }),
    )
    .filter(fits);
}

function objectArbitrary(schema: Schema, depth: number, options: GenerateOptions) {
  const properties = (isSchema(schema.properties) ? schema.properties : {}) as Record<
    string,
    Schema
  >;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const entries = Object.entries(properties).filter(
    ([name, property]) =>
      !(isSchema(property) && (property.readOnly === true || property[READ_ONLY_MARKER])) &&
      (depth < MAX_DEPTH || required.has(name)),
  );
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of entries) model[name] = arbitraryFor(property, depth + 1, options);
  return fc.record(model, {
    requiredKeys: entries.map(([name]) => name).filter((n) => required.has(n)),
  });
}

function arrayArbitrary(schema: Schema, depth: number, options: GenerateOptions) {
  const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const cap = depth >= MAX_DEPTH ? minLength : DEFAULT_MAX_ITEMS;
  const maxLength = Math.max(
    minLength,
    Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : cap, cap),
  );
  const items = arbitraryFor(isSchema(schema.items) ? schema.items : {}, depth + 1, options);
  return schema.uniqueItems
    ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
    : fc.array(items, { minLength, maxLength });
}

function typedArbitrary(
  type: string,
  schema: Schema,
  depth: number,
  options: GenerateOptions,
): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integerArbitrary(schema);
    case 'number':
      return numberArbitrary(schema);
    case 'string':
      return stringArbitrary(schema, options);
    case 'array':
      return arrayArbitrary(schema, depth, options);
    default:
      return objectArbitrary(schema, depth, options);
  }
}

/** Values valid by `schema` (callers filter through ajv for what is not modelled: not, if…). */
export function arbitraryFor(
  schema: unknown,
  depth = 0,
  options: GenerateOptions = {},
): fc.Arbitrary<unknown> {
  if (!isSchema(schema)) return fc.constant(null);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  if (Array.isArray(schema.allOf)) return arbitraryFor(mergeAllOf(schema), depth, options);
  const choices = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (Array.isArray(choices) && choices.length > 0) {
    const { oneOf: _o, anyOf: _a, ...shared } = schema;
    return fc.oneof(
      ...choices.map((choice) =>
        arbitraryFor(mergeAllOf({ allOf: [shared, choice] }), depth, options),
      ),
    );
  }
  const types = typesOf(schema);
  if (types.length === 0) {
    return depth >= MAX_DEPTH ? fc.constant(null) : fc.jsonValue({ maxDepth: 1 });
  }
  return fc.oneof(...types.map((type) => typedArbitrary(type, schema, depth, options)));
}
