// CRUD on one table with every statement prepared once per shape and reused: Drizzle builds a query
// at ~40k/s but runs a prepared one at ~750k/s. Written once for both dialects via DialectAdapter.

import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { compileObjectBuilder } from '../codegen/object-builder.ts';
import { MODEL_INVALID, VALIDATION } from '../errors.ts';
import type { ColumnDescription, TableDescription } from '../model/table-description.ts';
import {
  type AggregateField,
  type AggregateStatement,
  prepareAggregate,
} from './aggregate-statement.ts';
import { badCursor, decodeCursor, encodeCursor } from './cursor.ts';
import type { Key, ListQuery, ListResult, Row, TableRepository } from './database.ts';
import {
  andThen,
  type DialectAdapter,
  isPromise,
  type MaybePromise,
  type PreparedStatement,
  type RawRows,
} from './dialect-adapter.ts';
import { inValues } from './in-values.ts';
import {
  buildListQuery,
  checkPaging,
  conditionParam,
  cursorParam,
  filterParam,
  type ListShape,
  resolveSort,
  shapeKey,
  sortSignature,
} from './list-statement.ts';
import { createRowReader, FULL_VIEW, type RowReader, type RowView } from './row-reader.ts';
import { prepareSearch, type SearchPlan } from './search-statement.ts';
import { StatementCache } from './statement-cache.ts';
import { toDriver } from './value-codec.ts';

/** Distinct write and list shapes kept prepared per repository; rarer shapes run unprepared. */
export const STATEMENT_CACHE_CAPACITY = 64;
/** Distinct limits written into SQLite list statements of one shape (the rest are bound). */
export const LIMITS_PER_SHAPE = 8;

const KEY = 'key';
const EXPECTED_VERSION = 'expectedVersion';
const valueParam = (index: number) => `v${index}`;

/**
 * The repository's operations with rows read in a view, answering synchronously where the driver
 * does (SQLite): auto-CRUD routes are compiled from these, so a read builds one object per row and
 * awaits nothing.
 */
export interface RepositoryView {
  insert(values: Row): MaybePromise<Row>;
  findByKey(key: Key): MaybePromise<Row | undefined>;
  list(query: ListQuery): MaybePromise<ListResult>;
  /**
   * On an x-versioned table, `version` makes the write conditional: it happens only while the row
   * holds that version, checked in the statement itself, and undefined means no row matched.
   */
  replace(key: Key, values: Row, version?: number): MaybePromise<Row | undefined>;
  update(key: Key, patch: Row, version?: number): MaybePromise<Row | undefined>;
  remove(key: Key, version?: number): MaybePromise<Row | undefined>;
}

/** A write statement and the encoder of its values. */
interface WritePlan {
  statement: PreparedStatement;
  encode(values: Row): Record<string, unknown>;
}

interface ViewableRepository extends TableRepository {
  view(view: RowView): RepositoryView;
  /**
   * The `fields` of each group of rows whose `groupColumn` is one of `keys`, as raw rows
   * `[key, …fields]`; groups with no row are absent.
   */
  aggregate(
    groupColumn: string,
    fields: readonly AggregateField[],
    keys: readonly unknown[],
  ): Promise<RawRows>;
}

/** The operations of a repository of this package's databases, reading rows in `view`. */
export function repositoryView(repository: TableRepository, view: RowView): RepositoryView {
  return (repository as ViewableRepository).view(view);
}

/** Grouped aggregates over a repository of this package's databases (x-summary-of). */
export function aggregateRows(
  repository: TableRepository,
  groupColumn: string,
  fields: readonly AggregateField[],
  keys: readonly unknown[],
): Promise<RawRows> {
  return (repository as ViewableRepository).aggregate(groupColumn, fields, keys);
}

export function createTableRepository(
  table: TableDescription,
  // biome-ignore lint/suspicious/noExplicitAny: a Drizzle table built at run time.
  drizzleTable: any,
  adapter: DialectAdapter,
): ViewableRepository {
  const { db, dialect } = adapter;
  const columnIndex = new Map(table.columns.map((column, i) => [column.name, i]));
  const keyColumn = table.primaryKey.length === 1 ? column(table.primaryKey[0]!) : undefined;
  const updates = new StatementCache<WritePlan>(STATEMENT_CACHE_CAPACITY);
  const lists = new StatementCache<PreparedStatement>(STATEMENT_CACHE_CAPACITY);
  let byKey: { find: PreparedStatement; remove: PreparedStatement } | undefined;
  let removeIfVersion: PreparedStatement | undefined;
  // x-versioned: the server alone writes this column, 1 on insert and one more on each update.
  const versionColumn = table.version ? column(table.version) : undefined;

  function column(name: string): ColumnDescription {
    return table.columns[columnIndex.get(name)!]!;
  }

  function requireKeyColumn(): ColumnDescription {
    if (!keyColumn) {
      throw MODEL_INVALID(
        `${table.schemaName} has a composite primary key: look rows up with list() filters`,
        { pointer: table.pointer },
      );
    }
    return keyColumn;
  }

  const keyPointer = keyColumn ? `path.${keyColumn.name}` : '';

  function keyParams(key: Key): Record<string, unknown> {
    // The literal's name is the KEY placeholder's: a constant name, where [KEY] is a keyed store.
    return { key: toDriver(requireKeyColumn(), key, dialect, keyPointer) };
  }

  const keyIs = () => eq(drizzleTable[requireKeyColumn().name], sql.placeholder(KEY));
  /** The key, and on a conditional write the version the row must still hold. */
  const rowIs = (conditional: boolean) =>
    conditional
      ? and(keyIs(), eq(drizzleTable[versionColumn!.name], sql.placeholder(EXPECTED_VERSION)))
      : keyIs();

  function keyStatements() {
    if (byKey) return byKey;
    const where = keyIs();
    byKey = {
      find: adapter.prepare(db.select().from(drizzleTable).where(where), true, true),
      remove: adapter.prepare(db.delete(drizzleTable).where(where).returning(), true, true),
    };
    return byKey;
  }

  const fail = (error: unknown): never => {
    throw adapter.mapError(error, table);
  };

  /** Runs a statement, with driver errors named (a duplicate key is a 409, not a 500). */
  function run(statement: PreparedStatement, params: Record<string, unknown>) {
    try {
      const result = statement(params);
      return isPromise(result) ? result.catch(fail) : result;
    } catch (error) {
      return fail(error);
    }
  }

  /** Reads raw rows in a view; a reader per statement's column list, made on first use. */
  function rowsIn(view: RowView) {
    const readers = new WeakMap<readonly string[], RowReader>();
    // Runs of one statement come back to back: the last reader is kept at hand.
    let lastColumns: readonly string[] | undefined;
    let lastReader: RowReader | undefined;
    const readerFor = (columns: readonly string[]) => {
      if (columns === lastColumns) return lastReader!;
      let reader = readers.get(columns);
      if (!reader) {
        reader = createRowReader(table, dialect, columns, view);
        readers.set(columns, reader);
      }
      lastColumns = columns;
      lastReader = reader;
      return reader;
    };
    return {
      all: (raw: RawRows): Row[] => raw.rows.map(readerFor(raw.columns)),
      first: (raw: RawRows): Row | undefined =>
        raw.rows.length === 0 ? undefined : readerFor(raw.columns)(raw.rows[0]!),
    };
  }

  /** Placeholders for the written columns: raw, so the driver gets exactly what toDriver made. */
  function placeholders(columns: ColumnDescription[]): Record<string, unknown> {
    const set: Record<string, unknown> = {};
    for (const c of columns)
      set[c.name] = sql`${sql.placeholder(valueParam(columnIndex.get(c.name)!))}`;
    return set;
  }

  /** An update's SET: the written columns, and the version one more, in the same statement. */
  function updateSet(columns: ColumnDescription[]): Record<string, unknown> {
    const set = placeholders(columns);
    if (versionColumn) {
      set[versionColumn.name] = sql`${sql.identifier(versionColumn.name)} + 1`;
    }
    return set;
  }

  // Each column's placeholder and the field an error about its value names, made once: a write
  // encodes its values without building either per request.
  const slots = new Map(
    table.columns.map((c, i) => [c, { param: valueParam(i), pointer: `body.${c.name}` }]),
  );

  /** The driver values of `columns` under their placeholders' names; with `fill`, defaults for unset ones. */
  type ValueEncoder = (values: Row) => Record<string, unknown>;

  function encodeValues(columns: ColumnDescription[], values: Row, fill: boolean) {
    const params: Record<string, unknown> = {};
    for (const c of columns) {
      let value = values[c.name];
      if (value === undefined && fill) value = c.default ?? null;
      const slot = slots.get(c)!;
      params[slot.param] = toDriver(c, value, dialect, slot.pointer);
    }
    return params;
  }

  /**
   * encodeValues as straight-line code, for a statement kept prepared: one constant-name load and
   * store per column (codegen/object-builder.ts). A column's default is encoded once, here.
   */
  function compileEncoder(columns: ColumnDescription[], fill: boolean): ValueEncoder {
    return compileObjectBuilder<Row>(
      columns.map((c) => {
        const { param, pointer } = slots.get(c)!;
        const fallback = c.default === undefined ? null : toDriver(c, c.default, dialect, pointer);
        return {
          name: param,
          from: { property: c.name },
          convert: (value) => toDriver(c, value, dialect, pointer),
          absent: fill ? { default: fallback } : 'null',
        };
      }),
    );
  }

  const shapeOf = (columns: ColumnDescription[]) => columns.map((c) => c.name).join(',');

  const createdStamps = table.columns.filter((c) => c.timestamp !== undefined);
  const updatedStamps = table.columns.filter((c) => c.timestamp === 'updated');

  /** x-timestamp columns the caller left unset take the current time. */
  function stamp(values: Row, columns: ColumnDescription[]): Row {
    if (columns.length === 0) return values;
    const now = new Date().toISOString();
    const stamped = { ...values };
    for (const c of columns) if (stamped[c.name] == null) stamped[c.name] = now;
    return stamped;
  }

  // Key columns are named by the key argument and never rewritten; the version moves by itself.
  const nonKey = table.columns.filter((c) => !c.primaryKey && c !== versionColumn);

  /** The insert statement and its values: every column is written (absent ones take the spec default, else NULL). */
  function insertStatement(values: Row) {
    let given = stamp(values, createdStamps);
    if (versionColumn && given[versionColumn.name] !== undefined) {
      given = { ...given, [versionColumn.name]: undefined };
    }
    // A UUID key with no value gets one here, as an integer key gets one from the database.
    if (
      keyColumn?.type === 'uuid' &&
      given[keyColumn.name] == null &&
      keyColumn.default === undefined
    ) {
      given[keyColumn.name] = randomUUID();
    }
    const { statement, encode } = insertPlan(given);
    return { statement, params: encode(given) };
  }

  // One insert per set of autoincrement keys given explicitly: nearly always none, so one.
  const autoincrement = table.columns.filter((c) => c.autoincrement);
  const insertPlans: WritePlan[] = [];

  function insertPlan(given: Row) {
    let explicit = 0;
    for (let i = 0; i < autoincrement.length; i += 1) {
      if (given[autoincrement[i]!.name] != null) explicit |= 1 << i;
    }
    let plan = insertPlans[explicit];
    if (plan === undefined) {
      const columns = table.columns.filter((c) => !c.autoincrement || given[c.name] != null);
      const statement = adapter.prepare(
        db.insert(drizzleTable).values(placeholders(columns)).returning(),
        true,
        true,
      );
      plan = { statement, encode: compileEncoder(columns, true) };
      insertPlans[explicit] = plan;
    }
    return plan;
  }

  /** A conditional write's parameters: the key and the version the row must hold. */
  function rowParams(key: Key, version: number | undefined): Record<string, unknown> {
    const params = keyParams(key);
    if (version === undefined) return params;
    if (!versionColumn) {
      throw MODEL_INVALID(`${table.schemaName} is not x-versioned: it has no version to check`, {
        pointer: table.pointer,
      });
    }
    params[EXPECTED_VERSION] = version;
    return params;
  }

  /** The update statement for the written columns, or undefined when none is written. */
  function writeStatement(
    key: Key,
    columns: ColumnDescription[],
    values: Row,
    fill: boolean,
    version: number | undefined,
  ) {
    const params = rowParams(key, version);
    if (columns.length === 0) return undefined;
    const conditional = version !== undefined;
    const { statement, encode } = updates.get(
      `${fill ? 'replace' : 'update'}${conditional ? '?' : ''}:${shapeOf(columns)}`,
      (reusable) => ({
        statement: adapter.prepare(
          db.update(drizzleTable).set(updateSet(columns)).where(rowIs(conditional)).returning(),
          reusable,
          true,
        ),
        // A shape past the cache's capacity runs once: not worth compiling code for.
        encode: reusable
          ? compileEncoder(columns, fill)
          : (values: Row) => encodeValues(columns, values, fill),
      }),
    );
    return { statement, params: Object.assign(encode(values), params) };
  }

  function removeStatement(version: number | undefined): PreparedStatement {
    if (version === undefined) return keyStatements().remove;
    removeIfVersion ??= adapter.prepare(
      db.delete(drizzleTable).where(rowIs(true)).returning(),
      true,
      true,
    );
    return removeIfVersion;
  }

  function replaceColumns(values: Row) {
    const stamped = stamp(values, updatedStamps);
    // Server-set (readOnly) columns keep their value unless the caller sets them explicitly.
    const columns = nonKey.filter((c) => !c.readOnly || stamped[c.name] !== undefined);
    return { columns, stamped };
  }

  function updateColumns(patch: Row) {
    // An empty patch changes nothing, so it does not move an `updated` timestamp either.
    const changes = nonKey.some((c) => patch[c.name] !== undefined);
    const stamped = changes ? stamp(patch, updatedStamps) : patch;
    return { columns: nonKey.filter((c) => stamped[c.name] !== undefined), stamped };
  }

  const search = table.search ? prepareSearch(table, drizzleTable, adapter) : undefined;

  function conditionsOf(
    query: ListQuery,
    params: Record<string, unknown>,
  ): ListShape['conditions'] {
    return (query.conditions ?? []).map((condition, i) => {
      if (!columnIndex.has(condition.column)) throw VALIDATION_UNKNOWN(condition.column);
      const c = column(condition.column);
      const pointer = `query.${condition.column}`;
      if (condition.op === 'in') {
        params[conditionParam(i)] = inValues(c, condition.value, dialect, pointer);
      } else if (condition.op === 'contains') {
        if (c.type !== 'json') {
          throw VALIDATION(`${pointer}: membership needs an array column`, { pointer });
        }
        if (condition.value === null || typeof condition.value === 'object') {
          throw VALIDATION(`${pointer}: must be a single value`, { pointer });
        }
        if (typeof condition.value === 'string' && condition.value.includes('\u0000')) {
          throw VALIDATION(`${pointer}: must be text without the NUL character`, { pointer });
        }
        params[conditionParam(i)] = JSON.stringify([condition.value]);
      } else {
        const value = toDriver(c, condition.value, dialect, pointer);
        if (value === null) throw VALIDATION(`${pointer}: must not be null`, { pointer });
        params[conditionParam(i)] = value;
      }
      return { column: c, op: condition.op };
    });
  }

  interface PlannedList {
    statement: PreparedStatement;
    params: Record<string, unknown>;
    search?: SearchPlan;
    signature: string;
    sort: ListShape['sort'];
    offset?: number;
    paged: boolean;
  }

  /** A first page of every row in the default order: the commonest list, so planned once. */
  function isPlain(query: ListQuery): boolean {
    if (query.sort.length > 0 || query.cursor !== undefined || query.offset !== undefined) {
      return false;
    }
    if (query.search !== undefined || (query.conditions?.length ?? 0) > 0) return false;
    for (const _ in query.filters) return false;
    return true;
  }
  /** Plain lists planned, by limit on SQLite (its statements hold the limit), else under 0. */
  const plainLists = new Map<number, PlannedList>();
  const limitsInline = dialect === 'sqlite';
  /** SQLite: the limits written into statements, per shape; past a few, the limit is bound. */
  const inlineLimits = new Map<string, Set<number>>();

  /** Whether a SQLite statement of the shape keyed `key` may hold this limit (list-statement.ts). */
  function inlineLimit(key: string, limit: number): boolean {
    if (!limitsInline || !Number.isSafeInteger(limit)) return false;
    let limits = inlineLimits.get(key);
    if (!limits) {
      if (inlineLimits.size >= STATEMENT_CACHE_CAPACITY) return false;
      limits = new Set();
      inlineLimits.set(key, limits);
    }
    if (limits.has(limit)) return true;
    // A client choosing ever new limits must not fill the statement cache with one shape.
    if (limits.size >= LIMITS_PER_SHAPE) return false;
    limits.add(limit);
    return true;
  }

  /** The list statement for a query's shape and its placeholder values; undefined when nothing can match. */
  function planList(query: ListQuery): PlannedList | undefined {
    if (!isPlain(query)) return planShape(query);
    const key = limitsInline ? query.limit : 0;
    let plain = plainLists.get(key);
    if (plain === undefined) {
      plain = planShape(query)!;
      // A client choosing ever new limits is served from the statement cache alone.
      if (plainLists.size < STATEMENT_CACHE_CAPACITY) plainLists.set(key, plain);
      return plain;
    }
    // planShape checks the paging itself; a planned plain list still needs it checked.
    checkPaging(query);
    const { statement, signature, sort } = plain;
    return { statement, params: { limit: query.limit + 1 }, signature, sort, paged: false };
  }

  function planShape(query: ListQuery): PlannedList | undefined {
    checkPaging(query);
    const sort = resolveSort(table, query.sort);
    const params: Record<string, unknown> = { limit: query.limit + 1 };
    const filters = Object.entries(query.filters).map(([name, value], i) => {
      if (!columnIndex.has(name)) {
        throw VALIDATION_UNKNOWN(name);
      }
      const c = column(name);
      const driverValue = toDriver(c, value, dialect, `query.${name}`);
      if (driverValue !== null) params[filterParam(i)] = driverValue;
      return { column: c, isNull: driverValue === null };
    });
    const conditions = conditionsOf(query, params);
    let plan: SearchPlan | undefined;
    if (query.search !== undefined) {
      if (!search) {
        throw MODEL_INVALID(`${table.schemaName} has no x-search property to search`, {
          pointer: table.pointer,
        });
      }
      plan = search.plan(query.search);
      // Nothing in the text can match (only punctuation or symbols): no rows, not every row.
      if (!plan) return undefined;
      Object.assign(params, plan.params);
    }
    // A search pages by offset (its cursor carries one): rank is computed, not a keyset of columns.
    const signature = `${plan ? 'search|' : ''}${sortSignature(sort)}`;
    let cursorNulls: boolean[] | undefined;
    let offset = query.offset;
    if (query.cursor !== undefined && plan) {
      offset = Number(decodeCursor(query.cursor, signature, 1)[0]);
      if (!Number.isSafeInteger(offset) || offset < 0)
        badCursor('is not a cursor returned by this API');
    } else if (query.cursor !== undefined) {
      const values = decodeCursor(query.cursor, signature, sort.length);
      cursorNulls = values.map((value, i) => {
        const driverValue = toDriver(sort[i]!.column, value, dialect, 'query.cursor');
        if (driverValue !== null) params[cursorParam(i)] = driverValue;
        return driverValue === null;
      });
    }
    const paged = offset !== undefined && cursorNulls === undefined;
    if (paged) params.offset = offset;
    const shape: ListShape = {
      filters,
      conditions,
      sort,
      cursorNulls,
      offset: paged,
      ...(plan ? { search: { clauses: search!.clauses, ranked: query.sort.length === 0 } } : {}),
    };
    // The shape's key, and its limit when the statement holds it.
    let key = shapeKey(shape);
    if (inlineLimit(key, query.limit + 1)) {
      shape.limit = query.limit + 1;
      key = `${key}|l:${shape.limit}`;
    }
    const statement = lists.get(key, (reusable) =>
      adapter.prepare(buildListQuery(db, drizzleTable, shape, dialect), reusable),
    );
    return {
      statement,
      params,
      signature,
      sort,
      paged,
      ...(plan ? { search: plan } : {}),
      ...(offset !== undefined ? { offset } : {}),
    };
  }

  /** A search that found nothing, run again with the typo variants the index holds. */
  async function searchTolerantly(planned: PlannedList, found: RawRows): Promise<RawRows> {
    const { statement, params, paged, offset } = planned;
    // Nothing matched exactly: past the first page that may only mean the results ended.
    const exact =
      paged && offset! > 0 && (await run(statement, { ...params, offset: 0 })).rows.length > 0;
    const typos = exact ? undefined : await search!.typoParams(planned.search!, run);
    return typos ? run(statement, { ...params, ...typos }) : found;
  }

  function page(planned: PlannedList, query: ListQuery, rows: Row[]): ListResult {
    if (rows.length <= query.limit) return { rows };
    rows.length = query.limit;
    const last = rows[rows.length - 1];
    if (!last) return { rows };
    const nextCursor = planned.search
      ? encodeCursor(planned.signature, [(planned.offset ?? 0) + query.limit])
      : encodeCursor(
          planned.signature,
          planned.sort.map((t) => last[t.column.name]),
        );
    return { rows, nextCursor };
  }

  function operationsIn(view: RowView): RepositoryView {
    const read = rowsIn(view);
    const writeIn = (
      key: Key,
      columns: ColumnDescription[],
      values: Row,
      fill: boolean,
      version: number | undefined,
    ) => {
      const write = writeStatement(key, columns, values, fill, version);
      if (write) return andThen(run(write.statement, write.params), read.first);
      // Nothing to write: the row as it is, provided it still holds the version asked for.
      if (version === undefined) return findByKey(key);
      return andThen(run(keyStatements().find, keyParams(key)), (raw) => {
        const current = raw.rows[0];
        const at = raw.columns.indexOf(versionColumn!.name);
        return current && Number(current[at]) === version ? read.first(raw) : undefined;
      });
    };
    const findByKey = (key: Key) => andThen(run(keyStatements().find, keyParams(key)), read.first);
    return {
      insert(values) {
        const { statement, params } = insertStatement(values);
        return andThen(run(statement, params), (raw) => read.first(raw)!);
      },
      findByKey,
      list(query) {
        const planned = planList(query);
        if (!planned) return { rows: [] };
        const found = run(planned.statement, planned.params);
        const tolerant = planned.search?.tolerant === true;
        return andThen(found, (raw) =>
          tolerant && raw.rows.length === 0
            ? searchTolerantly(planned, raw).then((retried) =>
                page(planned, query, read.all(retried)),
              )
            : page(planned, query, read.all(raw)),
        );
      },
      replace(key, values, version) {
        const { columns, stamped } = replaceColumns(values);
        return writeIn(key, columns, stamped, true, version);
      },
      update(key, patch, version) {
        const { columns, stamped } = updateColumns(patch);
        return writeIn(key, columns, stamped, false, version);
      },
      remove(key, version) {
        const params = rowParams(key, version);
        return andThen(run(removeStatement(version), params), read.first);
      },
    };
  }

  const full = operationsIn(FULL_VIEW);
  const views = new Map<RowView, RepositoryView>([[FULL_VIEW, full]]);
  // Few: one per x-summary-of a table is the target of.
  const aggregates = new Map<string, AggregateStatement>();
  // The public operations are promises; a sync throw (a bad value) becomes a rejection.
  return {
    table,
    insert: async (values) => full.insert(values),
    findByKey: async (key) => full.findByKey(key),
    list: async (query) => full.list(query),
    replace: async (key, values) => full.replace(key, values),
    update: async (key, patch) => full.update(key, patch),
    remove: async (key) => full.remove(key),
    view(view) {
      let found = views.get(view);
      if (!found) {
        found = operationsIn(view);
        views.set(view, found);
      }
      return found;
    },
    async aggregate(groupColumn, fields, keys) {
      const signature = `${groupColumn}|${fields.map((f) => `${f.fn}:${f.column ?? ''}`).join(',')}`;
      let planned = aggregates.get(signature);
      if (!planned) {
        planned = prepareAggregate(table, drizzleTable, adapter, groupColumn, fields);
        aggregates.set(signature, planned);
      }
      return run(planned.statement, planned.params(keys));
    },
  };
}

function VALIDATION_UNKNOWN(name: string) {
  return VALIDATION(`query.${name}: unknown property`, { pointer: `query.${name}` });
}
