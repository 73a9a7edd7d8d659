// The SELECT behind TableRepository.list: equality filters, a total order (primary key last),
// limit/offset, and keyset conditions for cursors. Everything variable is a placeholder, so one
// prepared statement serves every request of the same shape (on SQLite, of the same limit too).

import { and, getTableColumns, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import { VALIDATION } from '../errors.ts';
import type { ColumnDescription, TableDescription } from '../model/table-description.ts';
import type { SearchClauses } from '../search/search-dialect.ts';
import type { ConditionOperator, Dialect, ListQuery, SortTerm } from './database.ts';

export interface ResolvedSortTerm {
  column: ColumnDescription;
  direction: 'asc' | 'desc';
}

/** Query sort terms checked against the table, with the primary key appended as tie-breaker. */
export function resolveSort(
  table: TableDescription,
  sort: readonly SortTerm[],
): ResolvedSortTerm[] {
  const terms: ResolvedSortTerm[] = [];
  for (const term of sort) {
    const column = table.columns.find((c) => c.name === term.column);
    if (!column) {
      throw VALIDATION(`query.sort: unknown property "${term.column}"`, { pointer: 'query.sort' });
    }
    if (term.direction !== 'asc' && term.direction !== 'desc') {
      throw VALIDATION('query.sort: direction must be asc or desc', { pointer: 'query.sort' });
    }
    if (!terms.some((t) => t.column === column)) terms.push({ column, direction: term.direction });
  }
  for (const name of table.primaryKey) {
    const column = table.columns.find((c) => c.name === name)!;
    if (!terms.some((t) => t.column === column)) terms.push({ column, direction: 'asc' });
  }
  return terms;
}

export function sortSignature(terms: readonly ResolvedSortTerm[]): string {
  return terms.map((t) => `${t.column.name}:${t.direction}`).join(',');
}

export interface ListShape {
  /** Filtered columns, each with whether its value is NULL (IS NULL needs no placeholder). */
  filters: { column: ColumnDescription; isNull: boolean }[];
  /** Range and membership conditions. */
  conditions: { column: ColumnDescription; op: ConditionOperator }[];
  /** A full-text search: its clauses, and whether its rank orders the rows (no explicit sort). */
  search?: { clauses: SearchClauses; ranked: boolean };
  sort: ResolvedSortTerm[];
  /** Per sort term, whether the cursor's value is NULL; undefined without a cursor. */
  cursorNulls?: boolean[];
  offset: boolean;
  /**
   * SQLite: the row limit, written into the statement. Bound as `LIMIT ?`, SQLite (3.47 and later)
   * reads the value while planning and marks the statement to be prepared again whenever that
   * parameter is bound anew, which better-sqlite3 does on every run: a full re-prepare per request.
   */
  limit?: number;
}

export function shapeKey(shape: ListShape): string {
  const filters = shape.filters.map((f) => `${f.column.name}${f.isNull ? '=null' : ''}`).join(',');
  const cursor = shape.cursorNulls ? shape.cursorNulls.map((n) => (n ? 'n' : 'v')).join('') : '-';
  const conditions = shape.conditions.map((c) => `${c.column.name}:${c.op}`).join(',');
  const search = shape.search ? (shape.search.ranked ? 'ranked' : 'sorted') : '-';
  return `f:${filters}|w:${conditions}|q:${search}|s:${sortSignature(shape.sort)}|c:${cursor}|o:${shape.offset}`;
}

export const filterParam = (index: number) => `f${index}`;
export const cursorParam = (index: number) => `k${index}`;
export const conditionParam = (index: number) => `w${index}`;

const COMPARISONS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * `column in (…values)` with one placeholder for any number of values (in-values.ts makes its
 * value), so one prepared statement serves every batch.
 */
export function inList(dialect: Dialect, column: unknown, values: unknown): SQL {
  return dialect === 'sqlite'
    ? sql`${column} in (select value from json_each(${values}))`
    : sql`${column} = any(${values})`;
}

/** One range or membership condition; membership reads a JSON array column. */
function condition(dialect: Dialect, column: unknown, op: ConditionOperator, index: number): SQL {
  const value = sql.placeholder(conditionParam(index));
  if (op === 'in') return inList(dialect, column, value);
  if (op !== 'contains') return sql`${column} ${sql.raw(COMPARISONS[op])} ${value}`;
  // The value arrives as a one-element JSON array: `["Drama"]`.
  return dialect === 'sqlite'
    ? sql`exists (select 1 from json_each(${column}) where json_each.value = json_extract(${value}, '$[0]'))`
    : sql`${column} @> cast(${value} as jsonb)`;
}

// NULL sorts as the smallest value on both dialects (SQLite's rule; PostgreSQL is told so). A NOT
// NULL column is ordered plainly: PostgreSQL uses a b-tree index (the primary key's, say) only for
// the order the index was built in, and `nulls first` on an ascending column is not that order.
function orderBy(column: unknown, term: ResolvedSortTerm): SQL {
  if (!term.column.nullable)
    return term.direction === 'asc' ? sql`${column} asc` : sql`${column} desc`;
  return term.direction === 'asc' ? sql`${column} asc nulls first` : sql`${column} desc nulls last`;
}

/** Rows strictly after the cursor row in the sort order: a lexicographic keyset comparison. */
function keysetCondition(
  // biome-ignore lint/suspicious/noExplicitAny: a runtime-built Drizzle table.
  table: any,
  terms: ResolvedSortTerm[],
  nulls: boolean[],
): SQL | undefined {
  const branches: SQL[] = [];
  const equalSoFar: SQL[] = [];
  terms.forEach((term, i) => {
    const col = table[term.column.name];
    const value = sql.placeholder(cursorParam(i));
    const isNullValue = nulls[i]!;
    let after: SQL | undefined;
    if (term.direction === 'asc') after = isNullValue ? isNotNull(col) : sql`${col} > ${value}`;
    else if (!isNullValue) {
      after = term.column.nullable
        ? or(sql`${col} < ${value}`, isNull(col))
        : sql`${col} < ${value}`;
    }
    if (after) branches.push(and(...equalSoFar, after)!);
    equalSoFar.push(isNullValue ? isNull(col) : sql`${col} = ${value}`);
  });
  return branches.length === 0 ? sql`1 = 0` : or(...branches);
}

export function buildListQuery(
  // biome-ignore lint/suspicious/noExplicitAny: Drizzle database and table built at run time.
  db: any,
  // biome-ignore lint/suspicious/noExplicitAny: a runtime-built Drizzle table.
  table: any,
  shape: ListShape,
  dialect: Dialect,
): unknown {
  const conditions: (SQL | undefined)[] = shape.filters.map((filter, i) =>
    filter.isNull
      ? isNull(table[filter.column.name])
      : sql`${table[filter.column.name]} = ${sql.placeholder(filterParam(i))}`,
  );
  shape.conditions.forEach((c, i) => {
    conditions.push(condition(dialect, table[c.column.name], c.op, i));
  });
  if (shape.cursorNulls) conditions.push(keysetCondition(table, shape.sort, shape.cursorNulls));
  const search = shape.search?.clauses;
  if (search?.where) conditions.push(search.where);
  const order = shape.sort.map((t) => orderBy(table[t.column.name], t));
  let query = search ? db.select(getTableColumns(table)).from(table) : db.select().from(table);
  if (search?.join) query = query.innerJoin(search.join.source, search.join.on);
  query = query
    .where(and(...conditions))
    .orderBy(...(shape.search?.ranked ? [...search!.order, ...order] : order))
    // A literal is an SQL fragment Drizzle inlines; its type says number or placeholder only.
    .limit(
      shape.limit === undefined
        ? sql.placeholder('limit')
        : (sql.raw(String(shape.limit)) as unknown as number),
    );
  if (shape.offset) query = query.offset(sql.placeholder('offset'));
  return query;
}

export function checkPaging(query: ListQuery): void {
  if (!Number.isInteger(query.limit) || query.limit < 0) {
    throw VALIDATION('query.limit: must be a non-negative integer', { pointer: 'query.limit' });
  }
  if (query.offset !== undefined && (!Number.isInteger(query.offset) || query.offset < 0)) {
    throw VALIDATION('query.offset: must be a non-negative integer', { pointer: 'query.offset' });
  }
  if (query.offset !== undefined && query.offset > 0 && query.cursor !== undefined) {
    throw VALIDATION('query.cursor: cannot be combined with offset', { pointer: 'query.cursor' });
  }
}
