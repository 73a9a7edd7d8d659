// Reads a list operation's paging, sorting and filtering from its declared query parameters, and
// writes the link to the next page. Only parameters the spec declares are honoured.

import type { ListCondition, ListQuery, SortTerm } from '../../db/database.ts';
import { VALIDATION } from '../../errors.ts';
import type { ColumnDescription, TableDescription } from '../../model/table-description.ts';
import type { Operation, ParameterObject, Schema } from '../operations.ts';
import { pathOf, queryOf } from '../request-target.ts';

/** Page size when the spec declares a `limit` parameter with no default. */
export const DEFAULT_PAGE_SIZE = 20;
/** The most rows one list answer carries, whatever the spec allows. */
export const MAX_PAGE_SIZE = 1000;

const PAGING = new Set(['limit', 'offset', 'cursor', 'sort']);

export interface ListQueryPlan {
  declared: Set<string>;
  defaultLimit: number;
  /** Query parameters that filter a column by equality. */
  filterColumns: string[];
  sortableColumns: Set<string>;
  /** The parameter holding the search text (`q`, or the one x-search-param names). */
  searchParam?: string;
  /** Parameters that are range or membership conditions: `release_year_gte`, `genre`. */
  conditionParams: { param: string; column: string; op: ListCondition['op'] }[];
}

/** Column types a range (`_gte`, `_lte`, `_gt`, `_lt`) compares. */
const RANGED = new Set(['integer', 'bigint', 'real', 'double', 'date', 'timestamp']);
const RANGE_SUFFIX = /^(.+)_(gte|lte|gt|lt)$/;

/**
 * A condition parameter: `x-filter: <column>` names the column (membership for an array column);
 * a parameter named like an array column tests membership; `<column>_gte` and friends compare.
 */
function conditionOf(
  param: ParameterObject,
  columns: Map<string, ColumnDescription>,
): PlanCondition | undefined {
  const named = (param as unknown as Record<string, unknown>)['x-filter'];
  const target = columns.get(typeof named === 'string' ? named : param.name);
  if (target?.type === 'json') return { param: param.name, column: target.name, op: 'contains' };
  const range = RANGE_SUFFIX.exec(param.name);
  const ranged = range ? columns.get(range[1]!) : undefined;
  if (ranged && RANGED.has(ranged.type)) {
    return { param: param.name, column: ranged.name, op: range![2] as ListCondition['op'] };
  }
  return undefined;
}

type PlanCondition = ListQueryPlan['conditionParams'][number];

function searchParamOf(operation: Operation, table: TableDescription, declared: Set<string>) {
  if (!table.search) return undefined;
  const named = operation.operation['x-search-param'];
  const param = typeof named === 'string' ? named : 'q';
  return declared.has(param) ? param : undefined;
}

export function planListQuery(operation: Operation, table: TableDescription): ListQueryPlan {
  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  const declared = new Set(queryParams.map((p) => p.name));
  const limitParam = queryParams.find((p) => p.name === 'limit');
  const limitDefault = (limitParam?.schema as Schema | undefined)?.default;
  const comparable = table.columns.filter(
    (c) => c.type !== 'json' && c.type !== 'binary' && !c.writeOnly,
  );
  const comparableNames = new Set(comparable.map((c) => c.name));
  const columns = new Map(table.columns.map((c) => [c.name, c]));
  const searchParam = searchParamOf(operation, table, declared);
  const free = queryParams.filter((p) => !PAGING.has(p.name) && p.name !== searchParam);
  const conditionParams = free
    .map((p) => conditionOf(p, columns))
    .filter((c): c is PlanCondition => c !== undefined);
  const conditionNames = new Set(conditionParams.map((c) => c.param));
  return {
    declared,
    defaultLimit:
      typeof limitDefault === 'number' ? limitDefault : limitParam ? DEFAULT_PAGE_SIZE : 100,
    filterColumns: free
      .map((p) => p.name)
      .filter((name) => comparableNames.has(name) && !conditionNames.has(name)),
    sortableColumns: comparableNames,
    ...(searchParam ? { searchParam } : {}),
    conditionParams,
  };
}

function parseSort(value: unknown, plan: ListQueryPlan): SortTerm[] {
  const terms = (Array.isArray(value) ? value : String(value).split(','))
    .map((term) => String(term).trim())
    .filter(Boolean);
  return terms.map((term) => {
    const direction = term.startsWith('-') ? 'desc' : 'asc';
    const column = term.replace(/^[-+]/, '');
    if (!plan.sortableColumns.has(column)) {
      throw VALIDATION(`query.sort: cannot sort by "${column}"`, {
        details: [
          {
            field: 'query.sort',
            message: `cannot sort by "${column}"; sortable: ${[...plan.sortableColumns].join(', ')}`,
          },
        ],
      });
    }
    return { column, direction };
  });
}

/**
 * A paging number the database accepts. The spec should bound it (minimum, maximum); when it does
 * not, a negative or fractional value is still the client's mistake, not a 500.
 */
function whole(name: string, value: unknown, min: number): number {
  const number = Number(value);
  if (Number.isSafeInteger(number) && number >= min) return number;
  const message = `must be an integer >= ${min}`;
  throw VALIDATION(`query.${name}: ${message}`, {
    details: [{ field: `query.${name}`, message }],
  });
}

export function toListQuery(
  query: Record<string, unknown>,
  plan: ListQueryPlan,
  scope: Record<string, unknown>,
): ListQuery {
  const take = (name: string) => (plan.declared.has(name) ? query[name] : undefined);
  const limit = Math.min(whole('limit', take('limit') ?? plan.defaultLimit, 1), MAX_PAGE_SIZE);
  const filters: Record<string, unknown> = { ...scope };
  for (const column of plan.filterColumns) {
    if (query[column] !== undefined) filters[column] = query[column];
  }
  const conditions: ListCondition[] = [];
  for (const { param, column, op } of plan.conditionParams) {
    if (query[param] !== undefined) conditions.push({ column, op, value: query[param] });
  }
  const text = plan.searchParam ? query[plan.searchParam] : undefined;
  // A blank search is no search: the plain list.
  const search = typeof text === 'string' && text.trim() !== '' ? text : undefined;
  const sort = take('sort');
  const cursor = take('cursor');
  const offset = take('offset');
  if (cursor !== undefined && offset !== undefined && Number(offset) !== 0) {
    throw VALIDATION('query.cursor: cannot be combined with offset', {
      details: [{ field: 'query.cursor', message: 'cannot be combined with offset' }],
    });
  }
  // Optional members set only when present, without spreading a literal per member.
  const listQuery: ListQuery = {
    filters,
    sort: sort === undefined ? [] : parseSort(sort, plan),
    limit,
  };
  if (conditions.length > 0) listQuery.conditions = conditions;
  if (search !== undefined) listQuery.search = search;
  if (cursor !== undefined) listQuery.cursor = String(cursor);
  if (offset !== undefined) listQuery.offset = whole('offset', offset, 0);
  return listQuery;
}

/** A query parameter's name as a server reads it: `+` is a space, `%xx` a byte. */
function parameterName(pair: string): string {
  const mark = pair.indexOf('=');
  const name = mark === -1 ? pair : pair.slice(0, mark);
  if (!name.includes('%') && !name.includes('+')) return name;
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * The URL of the next page, in the form the spec lets a client send back: with a cursor when the
 * operation declares one, else with an offset. Undefined when it declares neither. The client's
 * other parameters stay as it sent them, and each paging one takes the place of its first
 * occurrence (as URLSearchParams#set would do, without decoding and encoding the whole query).
 */
export function nextPageLink(
  url: string,
  plan: ListQueryPlan,
  listQuery: ListQuery,
  nextCursor: string,
): string | undefined {
  const paging = new Map<string, string | undefined>();
  if (plan.declared.has('cursor')) {
    paging.set('cursor', `cursor=${nextCursor}`);
    paging.set('offset', undefined);
  } else if (plan.declared.has('offset')) {
    paging.set('offset', `offset=${(listQuery.offset ?? 0) + listQuery.limit}`);
  } else {
    return undefined;
  }
  if (plan.declared.has('limit')) paging.set('limit', `limit=${listQuery.limit}`);
  const parts: string[] = [];
  const query = queryOf(url);
  if (query !== '') {
    for (const pair of query.split('&')) {
      if (pair === '') continue;
      const name = parameterName(pair);
      if (!paging.has(name)) {
        parts.push(pair);
        continue;
      }
      // The first occurrence takes the new value; later ones, and a dropped name, go.
      const replacement = paging.get(name);
      if (replacement !== undefined) parts.push(replacement);
      paging.set(name, undefined);
    }
  }
  for (const rest of paging.values()) if (rest !== undefined) parts.push(rest);
  return `${pathOf(url)}?${parts.join('&')}`;
}
