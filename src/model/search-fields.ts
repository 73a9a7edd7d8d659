// x-search on the properties of an x-tablename schema -> the table's SearchDescription.
// `x-search: true` (weight B) or `x-search: { weight: A }`, on strings and arrays of strings, and
// on integers (a year: `matrix 1999` then finds The Matrix).

import { MODEL_INVALID } from '../errors.ts';
import { declaredTypes, isObject, type SchemaObject } from './schema-object.ts';
import type {
  SearchDescription,
  SearchField,
  SearchWeight,
  TableDescription,
} from './table-description.ts';

const WEIGHTS: readonly SearchWeight[] = ['A', 'B', 'C', 'D'];
/** Without a weight a field ranks below a title (A) and above notes (C, D). */
const DEFAULT_WEIGHT: SearchWeight = 'B';

function weightOf(value: unknown, pointer: string): SearchWeight | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return DEFAULT_WEIGHT;
  const weight = isObject(value) ? (value.weight ?? DEFAULT_WEIGHT) : undefined;
  if (typeof weight !== 'string' || !WEIGHTS.includes(weight.toUpperCase() as SearchWeight)) {
    throw MODEL_INVALID('x-search must be true or { weight: A | B | C | D }', { pointer });
  }
  return weight.toUpperCase() as SearchWeight;
}

function isStringArray(schema: SchemaObject): boolean {
  const items = isObject(schema.items) ? schema.items : undefined;
  return (
    declaredTypes(schema).includes('array') &&
    items !== undefined &&
    declaredTypes(items).length === 1 &&
    declaredTypes(items)[0] === 'string'
  );
}

export function deriveSearch(
  table: TableDescription,
  properties: Record<string, unknown>,
): SearchDescription | undefined {
  const fields: SearchField[] = [];
  for (const column of table.columns) {
    const schema = properties[column.name];
    if (!isObject(schema)) continue;
    const pointer = `${column.pointer}/x-search`;
    const weight = weightOf(schema['x-search'], pointer);
    if (!weight) continue;
    const searchable =
      column.type === 'text' ||
      column.type === 'integer' ||
      column.type === 'bigint' ||
      (column.type === 'json' && isStringArray(schema));
    if (!searchable || column.writeOnly) {
      throw MODEL_INVALID('x-search needs a string property, an array of strings or an integer', {
        pointer,
      });
    }
    fields.push({ column: column.name, weight });
  }
  if (fields.length === 0) return undefined;
  const key = table.columns.find((c) => c.name === table.primaryKey[0]);
  if (table.primaryKey.length !== 1 || (key?.type !== 'integer' && key?.type !== 'bigint')) {
    throw MODEL_INVALID(
      'x-search needs a table whose primary key is one integer column (the index refers to rows by it)',
      { pointer: table.pointer },
    );
  }
  const best = WEIGHTS.find((w) => fields.some((f) => f.weight === w))!;
  return { fields, titleColumn: fields.find((f) => f.weight === best)!.column };
}
