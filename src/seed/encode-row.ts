// A row for a bulk insert, checked and encoded column by column as the repository's insert would
// (defaults, x-timestamp, UUID keys, the codec's coercion), plus the column rules the spec states
// that only PostgreSQL's types would otherwise enforce: maxLength, enum, required values. A bulk
// statement bypasses the repository, so a bad value must be caught here, before it is stored.

import { randomUUID } from 'node:crypto';
import type { Dialect, Row } from '../db/database.ts';
import { toDriver } from '../db/value-codec.ts';
import { VALIDATION } from '../errors.ts';
import type { ColumnDescription, TableDescription } from '../model/table-description.ts';

/** Values in column order; `undefined` marks an autoincrement column left to the database. */
export type EncodedRow = unknown[];

function invalid(pointer: string, column: ColumnDescription, expected: string): never {
  throw VALIDATION(`${pointer}: must be ${expected}`, {
    pointer,
    details: { column: column.name, expected },
  });
}

/** PostgreSQL's varchar(n) counts characters, not UTF-16 units: so does this. */
function characters(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** The rules the codec leaves to the database; `encoded` is the value after the codec's coercion. */
function checkRules(column: ColumnDescription, value: unknown, encoded: unknown, pointer: string) {
  if (value === null) {
    if (!column.nullable) invalid(pointer, column, 'given (not null)');
    return;
  }
  if (column.enum && !column.enum.includes(value) && !column.enum.includes(encoded)) {
    invalid(pointer, column, `one of ${column.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if (
    column.maxLength !== undefined &&
    typeof value === 'string' &&
    value.length > column.maxLength &&
    characters(value) > column.maxLength
  ) {
    invalid(pointer, column, `at most ${column.maxLength} characters long`);
  }
}

/** Turns one row of API values into driver values in `table.columns` order. */
export function rowEncoder(table: TableDescription, dialect: Dialect) {
  const columns = table.columns;
  const uuidKey = columns.find((c) => c.primaryKey && c.type === 'uuid' && c.default === undefined);
  const names = new Set(columns.map((c) => c.name));
  const now = () => new Date().toISOString();
  return (row: Row): EncodedRow => {
    const out: EncodedRow = new Array(columns.length);
    let stamp: string | undefined;
    for (let i = 0; i < columns.length; i += 1) {
      const column = columns[i]!;
      let value = row[column.name];
      if (value == null) {
        if (column.autoincrement) continue;
        if (column.timestamp) value = stamp ??= now();
        else if (column === uuidKey) value = randomUUID();
        else value = column.default ?? null;
      }
      const encoded = toDriver(column, value, dialect, column.name);
      checkRules(column, value, encoded, column.name);
      out[i] = encoded;
    }
    // A property that names no column (a typo in a transform) would otherwise be dropped silently.
    for (const key in row) {
      if (!names.has(key)) {
        throw VALIDATION(`${key}: ${table.schemaName} has no such column`, { pointer: key });
      }
    }
    return out;
  };
}
