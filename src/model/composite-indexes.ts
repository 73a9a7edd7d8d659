// x-composite-index and x-composite-unique, in every form OpenAlchemy accepts:
// ["a", "b"], [["a", "b"], ["c"]], { name?, expressions: [...], unique? }, or a list of those objects.

import { MODEL_INVALID } from '../errors.ts';
import { isObject, type SchemaObject } from './schema-object.ts';
import type { IndexDescription } from './table-description.ts';

interface RawIndex {
  name?: string;
  columns: unknown[];
  unique: boolean;
  pointer: string;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function readEntry(entry: unknown, unique: boolean, pointer: string): RawIndex {
  if (isStringList(entry)) return { columns: entry, unique, pointer };
  if (isObject(entry)) {
    const columns = entry.expressions ?? entry.columns;
    if (isStringList(columns)) {
      return {
        name: typeof entry.name === 'string' ? entry.name : undefined,
        columns,
        unique: typeof entry.unique === 'boolean' ? entry.unique : unique,
        pointer,
      };
    }
  }
  throw MODEL_INVALID('expected a list of column names, or { name, expressions }', { pointer });
}

function readExtension(value: unknown, unique: boolean, pointer: string): RawIndex[] {
  if (value === undefined) return [];
  // A flat list of names is one index; a list of lists or objects is several.
  if (isStringList(value) || isObject(value)) return [readEntry(value, unique, pointer)];
  if (Array.isArray(value)) {
    return value.map((entry, i) => readEntry(entry, unique, `${pointer}/${i}`));
  }
  throw MODEL_INVALID('expected a list of column names, or { name, expressions }', { pointer });
}

export function deriveCompositeIndexes(
  schema: SchemaObject,
  tableName: string,
  columnNames: ReadonlySet<string>,
  pointer: string,
): IndexDescription[] {
  const raw = [
    ...readExtension(schema['x-composite-index'], false, `${pointer}/x-composite-index`),
    ...readExtension(schema['x-composite-unique'], true, `${pointer}/x-composite-unique`),
  ];
  return raw.map((index) => {
    const columns = index.columns as string[];
    if (columns.length === 0) throw MODEL_INVALID('an index needs at least one column', index);
    for (const column of columns) {
      if (!columnNames.has(column)) {
        throw MODEL_INVALID(`index column "${column}" is not a property of this schema`, index);
      }
    }
    const prefix = index.unique ? 'uq' : 'ix';
    return {
      name: index.name ?? `${prefix}_${tableName}_${columns.join('_')}`,
      columns,
      unique: index.unique,
    };
  });
}
