// The placeholder value of an `in` list condition: the driver values of the list, as one JSON
// array on SQLite (read back with json_each) and as one array parameter on PostgreSQL (= any).

import { VALIDATION } from '../errors.ts';
import type { ColumnDescription } from '../model/table-description.ts';
import type { Dialect } from './database.ts';
import { toDriver } from './value-codec.ts';

export function inValues(
  column: ColumnDescription,
  value: unknown,
  dialect: Dialect,
  pointer: string,
): unknown {
  if (!Array.isArray(value)) throw VALIDATION(`${pointer}: must be a list`, { pointer });
  const values = value.map((item) => toDriver(column, item, dialect, pointer));
  return dialect === 'sqlite' ? JSON.stringify(values) : values;
}
