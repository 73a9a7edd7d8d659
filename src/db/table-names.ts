// Names and small rules shared by the SQLite and PostgreSQL table builders, so both dialects agree.

import type { ColumnDescription, TableDescription } from '../model/table-description.ts';

export function indexName(table: TableDescription, column: string): string {
  return `ix_${table.tableName}_${column}`;
}

export function uniqueName(table: TableDescription, column: string): string {
  return `uq_${table.tableName}_${column}`;
}

/** JSON and binary defaults are not portable SQL literals: Drizzle fills them in on insert instead. */
export function isScalarDefault(column: ColumnDescription): boolean {
  return column.type !== 'json' && column.type !== 'binary';
}
