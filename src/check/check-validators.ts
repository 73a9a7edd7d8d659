// The checker's own ajv: JSON Schema 2020-12 (what OpenAPI 3.1 and the normalized 3.0 speak), the
// formats OpenAPI names, no coercion and no defaults, so a response is judged exactly as sent.

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Schema } from '../http/operations.ts';
import { addOpenApiFormats } from '../http/validator.ts';

function create(coerce: boolean): Ajv2020 {
  return addOpenApiFormats(
    new Ajv2020({
      allErrors: true,
      strict: false,
      validateFormats: true,
      coerceTypes: coerce ? 'array' : false,
    }),
  );
}

const isNode = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * A dereferenced recursive schema is a cyclic object, which ajv cannot compile: each schema on a
 * cycle moves to `$defs` and is referenced by `$ref` where it recurs.
 */
export function decycle(root: Schema): Schema {
  const recursive = new Set<object>();
  const onPath = new Set<object>();
  const seen = new Set<object>();
  const visit = (node: unknown) => {
    if (!isNode(node)) return;
    if (onPath.has(node)) {
      recursive.add(node);
      return;
    }
    if (seen.has(node)) return;
    onPath.add(node);
    for (const child of Object.values(node)) visit(child);
    onPath.delete(node);
    seen.add(node);
  };
  visit(root);
  if (recursive.size === 0) return root;
  const names = new Map([...recursive].map((node, i) => [node, `recursive${i}`]));
  const copy = (node: unknown, top: boolean): unknown => {
    if (!isNode(node)) return node;
    if (!top && names.has(node)) return { $ref: `#/$defs/${names.get(node)}` };
    if (Array.isArray(node)) return node.map((item) => copy(item, false));
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, copy(value, false)]),
    );
  };
  const $defs = Object.fromEntries([...names].map(([node, name]) => [name, copy(node, true)]));
  return { ...(copy(root, false) as Schema), $defs };
}

export interface CheckValidators {
  /** JSON bodies, request and response. */
  exact(schema: Schema): ValidateFunction;
  /** Parameter and header values, which travel as text. */
  coercing(schema: Schema): ValidateFunction;
  /** A single text value (a parameter, a header) against its schema, as `{ value }`. */
  textValue(schema: Schema): ValidateFunction;
}

/** Compiled validators, cached per schema object: schemas are compiled once per run. */
export function createCheckValidators(): CheckValidators {
  const exact = create(false);
  const coercing = create(true);
  const cache = (ajv: Ajv2020) => {
    const compiled = new WeakMap<object, ValidateFunction>();
    return (schema: Schema) => {
      let validate = compiled.get(schema);
      if (!validate) {
        validate = ajv.compile(decycle(schema));
        compiled.set(schema, validate);
      }
      return validate;
    };
  };
  const coercingOf = cache(coercing);
  const wrappers = new WeakMap<object, Schema>();
  const textValue = (schema: Schema) => {
    let wrapper = wrappers.get(schema);
    if (!wrapper) {
      wrapper = { type: 'object', properties: { value: schema } };
      wrappers.set(schema, wrapper);
    }
    return coercingOf(wrapper);
  };
  return { exact: cache(exact), coercing: coercingOf, textValue };
}

/** ajv's errors as one line: `/name must be string; must have required property 'id'`. */
export function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((error) => `${error.instancePath || '(body)'} ${error.message ?? 'is invalid'}`)
    .join('; ');
}
