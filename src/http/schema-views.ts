// The request and response views of a schema: OpenAPI's readOnly properties may appear only in
// responses, writeOnly ones only in requests. Each view is derived once per schema object.
// Answers nest one level: an x-tablename schema inside another (a related object) is viewed
// without its own relationships, which also cuts the cycles two related schemas may form.

import { declaredRelationships } from '../model/derive-model.ts';
import { isRelationshipSchema, schemaTableName } from '../spec/schema-cycles.ts';
import type { Schema } from './operations.ts';

type View = 'request' | 'response';

const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;
const SUBSCHEMAS = ['items', 'not', 'additionalProperties', 'if', 'then', 'else'] as const;

/** A keyword that always fails: a property that must not be sent. validator.ts defines it. */
export const READ_ONLY_MARKER = 'x-specstack-read-only';

/**
 * An annotation of a related object in a request view: the property it is written by (its key).
 * Only that property is stored; the contract tester reads back nothing else of it.
 */
export const BY_KEY_MARKER = 'x-specstack-by-key';

/**
 * Where a schema sits: outside any table (`top`), a part (allOf member) of a top-level table
 * (`part`), or below a table's properties, where any table is a related object (`nested`).
 */
type Depth = 'top' | 'part' | 'nested';

const caches: Record<View, Record<Depth, WeakMap<object, Schema>>> = {
  request: { top: new WeakMap(), part: new WeakMap(), nested: new WeakMap() },
  response: { top: new WeakMap(), part: new WeakMap(), nested: new WeakMap() },
};

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hides(property: unknown, view: View): boolean {
  if (!isSchema(property)) return false;
  return view === 'request' ? property.readOnly === true : property.writeOnly === true;
}

/** The relationship properties of a table schema: those the model found, and those its shape shows. */
function relationshipNames(schema: Schema): Set<string> {
  const names = new Set<string>();
  const parts = [schema, ...((schema.allOf as unknown[]) ?? []).filter(isSchema)];
  for (const part of parts) {
    for (const name of declaredRelationships(part) ?? []) names.add(name);
    if (!isSchema(part.properties)) continue;
    for (const [name, property] of Object.entries(part.properties)) {
      if (isRelationshipSchema(property)) names.add(name);
    }
  }
  return names;
}

/**
 * A related object: the table schema's members folded into one object, without its relationships
 * (never loaded at that depth). Nothing else changes: its columns read as at the top.
 */
function relatedObject(schema: Schema): Schema {
  const dropped = relationshipNames(schema);
  const parts = [...((schema.allOf as unknown[]) ?? []).filter(isSchema), schema];
  const folded: Schema = {};
  const properties: Record<string, unknown> = {};
  const required = new Set<string>();
  for (const part of parts) {
    Object.assign(folded, part);
    for (const [name, property] of Object.entries((part.properties as object) ?? {})) {
      if (!dropped.has(name)) properties[name] = property;
    }
    for (const name of (part.required as string[]) ?? [])
      if (!dropped.has(name)) required.add(name);
  }
  delete folded.allOf;
  folded.properties = properties;
  if (required.size > 0) folded.required = [...required];
  else delete folded.required;
  return folded;
}

/**
 * The property a relationship references in a related object: x-foreign-key-column (beside the
 * $ref, or on the target), the column of an own shape's x-foreign-key, else the primary key.
 */
function referencedKey(folded: Schema): string | undefined {
  if (typeof folded['x-foreign-key-column'] === 'string') return folded['x-foreign-key-column'];
  const fk = folded['x-foreign-key'];
  if (typeof fk === 'string' && fk.includes('.')) return fk.slice(fk.indexOf('.') + 1);
  const properties = Object.entries((folded.properties as Record<string, unknown>) ?? {});
  const keys = properties.filter(([, p]) => isSchema(p) && p['x-primary-key'] === true);
  return keys.length === 1 ? keys[0]![0] : undefined;
}

/** A property a relationship can reference: the primary key, or a unique column. */
function isKey(property: unknown): boolean {
  return (
    isSchema(property) && (property['x-primary-key'] === true || property['x-unique'] === true)
  );
}

function derive(schema: Schema, view: View, depth: Depth): Schema {
  const cache = caches[view][depth];
  const cached = cache.get(schema);
  if (cached) return cached;
  const table = schemaTableName(schema) !== undefined;
  const related = table && depth === 'nested';
  const source = related ? relatedObject(schema) : schema;
  const result: Schema = { ...source };
  cache.set(schema, result);
  // A related object in a request is written by its key: the key is all it needs, readOnly (a
  // generated id) or not, and nothing else of it is required.
  const byKey = related && view === 'request';
  if (byKey) {
    const key = referencedKey(source);
    if (key) {
      result.required = [key];
      result[BY_KEY_MARKER] = key;
    } else delete result.required;
  }
  // Below a table's properties, any table is a related object; a top-level table's allOf
  // members are parts of it, whose properties are its own.
  const inner: Depth = depth !== 'top' || table ? 'nested' : 'top';
  const sub: Depth = depth === 'top' && table ? 'part' : depth;

  for (const key of SUBSCHEMA_LISTS) {
    const list = source[key];
    if (Array.isArray(list)) result[key] = list.map((item) => viewOf(item, view, sub));
  }
  for (const key of SUBSCHEMAS) {
    if (isSchema(source[key])) result[key] = derive(source[key] as Schema, view, sub);
  }
  if (isSchema(source.properties)) {
    const properties: Record<string, unknown> = {};
    const hidden = new Set<string>();
    for (const [name, property] of Object.entries(source.properties)) {
      if (byKey && isKey(property)) {
        const { readOnly: _readOnly, ...key } = property as Schema;
        properties[name] = key;
      } else if (!hides(property, view)) {
        properties[name] = viewOf(property, view, inner);
      } else {
        hidden.add(name);
        // A read-only property sent in a request is an error the client should see, not a silent drop.
        if (view === 'request') properties[name] = { [READ_ONLY_MARKER]: true };
      }
    }
    result.properties = properties;
    if (Array.isArray(source.required) && !byKey) {
      result.required = (source.required as string[]).filter((name) => !hidden.has(name));
    }
  }
  return result;
}

function viewOf(value: unknown, view: View, depth: Depth): unknown {
  return isSchema(value) ? derive(value, view, depth) : value;
}

/** The schema a request body is validated against: readOnly properties forbidden and not required. */
export function requestView(schema: Schema): Schema {
  return derive(schema, 'request', 'top');
}

/** The schema a response is serialized with: writeOnly properties removed. */
export function responseView(schema: Schema): Schema {
  return derive(schema, 'response', 'top');
}
