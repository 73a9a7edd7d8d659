// Rewrites OpenAPI 3.0 Schema Objects into the JSON Schema form OpenAPI 3.1 uses, so the rest of
// specstack reads one form: `nullable` becomes a `null` type, boolean exclusive bounds numeric.
// Pure: inputs are never modified. A memo maps each input object to its output, so a schema
// shared by several places stays one shared object after normalization.

import type { ParameterObject, SchemaObject } from './openapi-types.ts';

/** Input object -> its normalized output; pass one memo per document to keep shared schemas shared. */
export type NormalizeMemo = Map<object, object>;

const SINGLE_SUBSCHEMA = [
  'items',
  'additionalProperties',
  'not',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
  'additionalItems',
  'unevaluatedItems',
  'unevaluatedProperties',
] as const;
const SUBSCHEMA_MAPS = [
  'properties',
  'patternProperties',
  'dependentSchemas',
  '$defs',
  'definitions',
];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const COMBINATORS = ['allOf', 'anyOf', 'oneOf', 'not'];

/** Keywords that describe a value rather than constrain it: they stay on the outside of a null wrapper. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'example',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
  'externalDocs',
  'xml',
]);

/** Normalizes a 3.0 Schema Object and everything below it. Booleans and non-objects pass through. */
export function normalizeSchema(schema: unknown, memo: NormalizeMemo = new Map()): SchemaObject {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return schema as SchemaObject;
  }
  const known = memo.get(schema);
  if (known) return known as SchemaObject;
  // Registered before recursing, so a schema that (indirectly) contains itself ends, too.
  const out: SchemaObject = {};
  memo.set(schema, out);
  const normalized = convertKeywords(withNormalizedSubschemas(schema as SchemaObject, memo));
  return Object.assign(out, normalized);
}

function withNormalizedSubschemas(schema: SchemaObject, memo: NormalizeMemo): SchemaObject {
  const copy: Record<string, unknown> = { ...schema };
  for (const key of SINGLE_SUBSCHEMA) {
    const sub = schema[key];
    if (Array.isArray(sub)) copy[key] = sub.map((each) => normalizeSchema(each, memo));
    else if (sub !== undefined) copy[key] = normalizeSchema(sub, memo);
  }
  for (const key of SUBSCHEMA_MAPS) {
    const map = schema[key];
    if (map && typeof map === 'object') {
      copy[key] = Object.fromEntries(
        Object.entries(map).map(([name, sub]) => [name, normalizeSchema(sub, memo)]),
      );
    }
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = schema[key];
    if (Array.isArray(list)) copy[key] = list.map((sub) => normalizeSchema(sub, memo));
  }
  return copy as SchemaObject;
}

/** The keyword rewrites on one schema level (its subschemas are already done). */
export function convertKeywords(schema: SchemaObject): SchemaObject {
  return convertNullable(
    convertExclusiveBound(convertExclusiveBound(schema, 'Minimum'), 'Maximum'),
  );
}

/** 3.0 `minimum: 5, exclusiveMinimum: true` -> 3.1 `exclusiveMinimum: 5` (likewise Maximum). */
export function convertExclusiveBound(
  schema: SchemaObject,
  which: 'Minimum' | 'Maximum',
): SchemaObject {
  const boundKey = which === 'Minimum' ? 'minimum' : 'maximum';
  const exclusiveKey = which === 'Minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum';
  const flag: unknown = schema[exclusiveKey];
  if (typeof flag !== 'boolean') return schema;
  const { [exclusiveKey]: _flag, ...rest } = schema;
  const bound = schema[boundKey];
  if (!flag || typeof bound !== 'number') return rest;
  const { [boundKey]: _bound, ...withoutBound } = rest;
  return { ...withoutBound, [exclusiveKey]: bound };
}

/**
 * 3.0 `nullable: true` -> a `null` type. With a plain `type`, `null` joins the type (and the
 * enum, which would otherwise still reject null). A schema built from allOf/anyOf/oneOf/not
 * (what a nullable `$ref` looks like once dereferenced) cannot take a `null` type, since its
 * subschemas would still reject null: it becomes `anyOf: [schema, {type: 'null'}]`, annotations
 * kept outside. `nullable: false` is dropped, except on a schema of nothing else (an allOf member
 * beside a $ref), where it becomes `x-nullable: false`.
 */
export function convertNullable(schema: SchemaObject): SchemaObject {
  if (!('nullable' in schema)) return schema;
  const { nullable, ...rest } = schema;
  if (nullable === false && Object.keys(rest).every((key) => key.startsWith('x-'))) {
    // An allOf member beside a $ref that only says `nullable: false` (OpenAlchemy's way to make
    // a relationship NOT NULL) keeps saying so, for the model to read.
    return { ...rest, 'x-nullable': false };
  }
  if (nullable !== true) return rest;
  const hasCombinator = COMBINATORS.some((key) => rest[key] !== undefined);
  if (rest.type !== undefined && !hasCombinator) return withNullType(rest);
  return wrapInNullableAnyOf(rest);
}

function withNullType(schema: SchemaObject): SchemaObject {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type as string];
  const out: SchemaObject = {
    ...schema,
    type: types.includes('null') ? types : [...types, 'null'],
  };
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) out.enum = [...schema.enum, null];
  return out;
}

function wrapInNullableAnyOf(schema: SchemaObject): SchemaObject {
  const outer: SchemaObject = {};
  const inner: SchemaObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) outer[key] = value;
    else inner[key] = value;
  }
  const innerKeys = Object.keys(inner);
  // Nothing constrains the value, so null is already accepted.
  if (innerKeys.length === 0) return schema;
  const nullSchema: SchemaObject = { type: 'null' };
  if (innerKeys.length === 1 && Array.isArray(inner.anyOf)) {
    return { ...outer, anyOf: [...inner.anyOf, nullSchema] };
  }
  // `allOf: [$ref]` is how 3.0 writes a nullable reference: keep the referenced schema itself
  // as the branch, so later code still recognizes it (`anyOf: [Pet, null]`).
  const [only] = inner.allOf ?? [];
  const branch = innerKeys.length === 1 && inner.allOf?.length === 1 && only ? only : inner;
  return { ...outer, anyOf: [branch, nullSchema] };
}

/**
 * The parameters an operation really has: the path item's, except those the operation redeclares
 * with the same `name` and `in`, followed by the operation's own.
 */
export function mergeParameters(
  pathLevel: readonly ParameterObject[] = [],
  operationLevel: readonly ParameterObject[] = [],
): ParameterObject[] {
  const key = (parameter: ParameterObject) => `${parameter.in}\u0000${parameter.name}`;
  const overridden = new Set(operationLevel.map(key));
  return [...pathLevel.filter((parameter) => !overridden.has(key(parameter))), ...operationLevel];
}
