// The handlers auto-CRUD serves for operations on x-tablename schemas that have no handler of
// their own. They speak the repository interface, so both dialects behave the same.

import { checkOwner, ownCreate, ownUpdate } from '../../auth/index.ts';
import type { Key, Row, TableRepository } from '../../db/database.ts';
import { NOT_FOUND } from '../../errors.ts';
import type { ColumnDescription, TableDescription } from '../../model/table-description.ts';
import { type Handler, type HandlerContext, respond } from '../handler-types.ts';
import { jsonMediaType, type Operation, type Schema, successResponse } from '../operations.ts';
import type { CrudPlan } from './infer-crud.ts';
import { nextPageLink, planListQuery, toListQuery } from './list-query.ts';

function primaryKeyColumn(table: TableDescription): ColumnDescription {
  const name = table.primaryKey[0]!;
  return table.columns.find((column) => column.name === name)!;
}

/**
 * A path parameter as the key column's type. A value that cannot be a key of that type matches no
 * row: it is a 404, like any other missing row.
 */
function toKey(value: unknown, column: ColumnDescription): Key | undefined {
  if (column.type === 'integer' || column.type === 'bigint') {
    const number = typeof value === 'number' ? value : Number(value);
    return Number.isSafeInteger(number) && String(value).trim() !== '' ? number : undefined;
  }
  return String(value);
}

function header(operation: Operation, name: string): string | undefined {
  const headers = successResponse(operation.operation)?.response.headers ?? {};
  return Object.keys(headers).find((key) => key.toLowerCase() === name);
}

function acceptsNull(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return true;
  const { type, anyOf, oneOf } = schema as Schema;
  if (type === 'null' || (Array.isArray(type) && type.includes('null'))) return true;
  const branches = [...((anyOf as unknown[]) ?? []), ...((oneOf as unknown[]) ?? [])];
  if (branches.length > 0) return branches.some(acceptsNull);
  return type === undefined;
}

/**
 * Makes rows read as the schema says: writeOnly columns never leave the server, and an unset
 * optional property whose schema does not allow null is left out rather than sent as null.
 */
function rowPresenter(plan: CrudPlan): (row: Row) => Row {
  const properties = (plan.schema.properties ?? {}) as Record<string, unknown>;
  const hidden = plan.table.columns.filter((column) => column.writeOnly).map((c) => c.name);
  const omitNull = plan.table.columns
    .filter((column) => !acceptsNull(properties[column.name]))
    .map((column) => column.name);
  return (row) => {
    const copy = { ...row };
    for (const name of hidden) delete copy[name];
    for (const name of omitNull) if (copy[name] === null) delete copy[name];
    return copy;
  };
}

/** The body's values that are columns: a schema without additionalProperties: false may carry more. */
function columnValues(table: TableDescription, body: unknown): Row {
  const values: Row = {};
  const source = (body ?? {}) as Row;
  for (const column of table.columns) {
    if (column.name in source) values[column.name] = source[column.name];
  }
  return values;
}

export function createCrudHandler(plan: CrudPlan, operation: Operation): Handler {
  const { table } = plan;
  const keyColumn = primaryKeyColumn(table);
  const success = successResponse(operation.operation);
  const status = success?.status ?? 200;
  const returnsBody = jsonMediaType(success?.response.content) !== undefined;
  const present = rowPresenter(plan);

  const repositoryOf = (context: HandlerContext): TableRepository =>
    context.db.repository(table.schemaName);
  const scopeOf = (context: HandlerContext): Row =>
    Object.fromEntries(plan.scopeParams.map((name) => [name, context.params[name]]));
  const notFound = (context: HandlerContext) => {
    const key = plan.keyParam ? context.params[plan.keyParam] : '';
    return NOT_FOUND(`${table.schemaName} ${String(key)} not found`);
  };
  const inScope = (context: HandlerContext, row: Row | undefined): row is Row => {
    if (!row) return false;
    // Path values arrive coerced to their parameter's type, which may differ from the column's.
    return plan.scopeParams.every((name) => String(row[name]) === String(context.params[name]));
  };
  const keyOf = (context: HandlerContext): Key => {
    const key = toKey(context.params[plan.keyParam!], keyColumn);
    if (key === undefined) throw notFound(context);
    return key;
  };
  /** Scoped item routes check the row's parents, owned ones its owner, before writing to it. */
  const checkWrite = async (context: HandlerContext, key: Key): Promise<Row | undefined> => {
    if (plan.scopeParams.length === 0 && !plan.owner) return undefined;
    const row = await repositoryOf(context).findByKey(key);
    if (!inScope(context, row)) throw notFound(context);
    if (plan.owner) {
      checkOwner(plan.owner, context.principal, row, `${table.schemaName} ${String(key)}`);
    }
    return row;
  };
  const answer = (row: Row, headers?: Record<string, string>) =>
    respond(status, returnsBody ? present(row) : undefined, headers);

  switch (plan.action) {
    case 'list': {
      const listPlan = planListQuery(operation, table);
      const nextHeader = header(operation, 'x-next');
      return async (context) => {
        const query = toListQuery(context.query, listPlan, scopeOf(context));
        const result = await repositoryOf(context).list(query);
        const headers: Record<string, string> = {};
        if (nextHeader && result.nextCursor !== undefined) {
          const link = nextPageLink(context.request.url, listPlan, query, result.nextCursor);
          if (link) headers[nextHeader] = link;
        }
        return respond(status, result.rows.map(present), headers);
      };
    }
    case 'create': {
      const locationHeader = header(operation, 'location');
      return async (context) => {
        const values = { ...columnValues(table, context.body), ...scopeOf(context) };
        const row = await repositoryOf(context).insert(
          plan.owner ? ownCreate(plan.owner, context.principal, values, table.schemaName) : values,
        );
        const headers: Record<string, string> = {};
        if (locationHeader) {
          const path = context.request.url.split('?')[0]!.replace(/\/$/, '');
          headers[locationHeader] = `${path}/${encodeURIComponent(String(row[keyColumn.name]))}`;
        }
        return answer(row, headers);
      };
    }
    case 'read':
      return async (context) => {
        const row = await repositoryOf(context).findByKey(keyOf(context));
        if (!inScope(context, row)) throw notFound(context);
        return answer(row);
      };
    case 'replace':
    case 'update':
      return async (context) => {
        const key = keyOf(context);
        const existing = await checkWrite(context, key);
        let values = { ...columnValues(table, context.body), ...scopeOf(context) };
        if (plan.owner && existing)
          values = ownUpdate(plan.owner, context.principal, values, existing);
        const repository = repositoryOf(context);
        const row =
          plan.action === 'replace'
            ? await repository.replace(key, values)
            : await repository.update(key, values);
        if (!row) throw notFound(context);
        return answer(row);
      };
    case 'remove':
      return async (context) => {
        const key = keyOf(context);
        await checkWrite(context, key);
        const row = await repositoryOf(context).remove(key);
        if (!row) throw notFound(context);
        return answer(row);
      };
  }
}
