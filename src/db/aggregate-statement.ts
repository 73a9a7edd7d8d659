// Grouped aggregates over a table (x-summary-of's count, mean…), for the groups of many rows at
// once: one statement per group column and set of aggregates, prepared once, every group's key in
// one array parameter. Rows come back raw: [key, first aggregate, second…].

import { avg, count, max, min, sql, sum } from 'drizzle-orm';
import type { SummaryField, TableDescription } from '../model/table-description.ts';
import type { DialectAdapter, PreparedStatement } from './dialect-adapter.ts';
import { inValues } from './in-values.ts';
import { inList } from './list-statement.ts';

/** An aggregate: a function and, for every one but count, the column it reads. */
export type AggregateField = Pick<SummaryField, 'fn' | 'column'>;

export interface AggregateStatement {
  statement: PreparedStatement;
  /** The statement's parameters for these group keys. */
  params(keys: readonly unknown[]): Record<string, unknown>;
}

const AGGREGATES = { count, sum, avg, min, max } as const;

export function prepareAggregate(
  table: TableDescription,
  // biome-ignore lint/suspicious/noExplicitAny: a Drizzle table built at run time.
  drizzleTable: any,
  adapter: DialectAdapter,
  groupColumn: string,
  fields: readonly AggregateField[],
): AggregateStatement {
  const group = drizzleTable[groupColumn];
  const selection: Record<string, unknown> = { key: group };
  for (const [i, field] of fields.entries()) {
    selection[`f${i}`] =
      field.fn === 'count' ? count() : AGGREGATES[field.fn](drizzleTable[field.column!]);
  }
  const query = adapter.db
    .select(selection)
    .from(drizzleTable)
    .where(inList(adapter.dialect, group, sql.placeholder('keys')))
    .groupBy(group);
  const column = table.columns.find((c) => c.name === groupColumn)!;
  const pointer = `${table.schemaName}.${groupColumn}`;
  return {
    statement: adapter.prepare(query, true),
    params: (keys) => ({ keys: inValues(column, keys, adapter.dialect, pointer) }),
  };
}
