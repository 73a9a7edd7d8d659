// The request and response views of a schema: OpenAPI's readOnly properties may appear only in
// responses, writeOnly ones only in requests. Each view is derived once per schema object.

import type { Schema } from './operations.ts';

type View = 'request' | 'response';

const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;
const SUBSCHEMAS = ['items', 'not', 'additionalProperties', 'if', 'then', 'else'] as const;

/** A keyword that always fails: a property that must not be sent. validator.ts defines it. */
export const READ_ONLY_MARKER = 'x-specstack-read-only';

const caches: Record<View, WeakMap<object, Schema>> = {
  request: new WeakMap(),
  response: new WeakMap(),
};

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hides(property: unknown, view: View): boolean {
  if (!isSchema(property)) return false;
  return view === 'request' ? property.readOnly === true : property.writeOnly === true;
}

function derive(schema: Schema, view: View): Schema {
  const cached = caches[view].get(schema);
  if (cached) return cached;
  const result: Schema = { ...schema };
  caches[view].set(schema, result);

  for (const key of SUBSCHEMA_LISTS) {
    const list = schema[key];
    if (Array.isArray(list)) result[key] = list.map((item) => viewOf(item, view));
  }
  for (const key of SUBSCHEMAS) {
    if (isSchema(schema[key])) result[key] = derive(schema[key] as Schema, view);
  }
  if (isSchema(schema.properties)) {
    const properties: Record<string, unknown> = {};
    const hidden = new Set<string>();
    for (const [name, property] of Object.entries(schema.properties)) {
      if (!hides(property, view)) {
        properties[name] = viewOf(property, view);
      } else {
        hidden.add(name);
        // A read-only property sent in a request is an error the client should see, not a silent drop.
        if (view === 'request') properties[name] = { [READ_ONLY_MARKER]: true };
      }
    }
    result.properties = properties;
    if (Array.isArray(schema.required)) {
      result.required = (schema.required as string[]).filter((name) => !hidden.has(name));
    }
  }
  return result;
}

function viewOf(value: unknown, view: View): unknown {
  return isSchema(value) ? derive(value, view) : value;
}

/** The schema a request body is validated against: readOnly properties forbidden and not required. */
export function requestView(schema: Schema): Schema {
  return derive(schema, 'request');
}

/** The schema a response is serialized with: writeOnly properties removed. */
export function responseView(schema: Schema): Schema {
  return derive(schema, 'response');
}
