// The route handlers auto-CRUD serves for operations on x-tablename schemas that have no handler
// of their own. Each is compiled once per route against the repository, with rows read straight
// into the response's shape; on SQLite a request runs synchronously from Fastify to the driver.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { callerOwnerValue, checkOwner, ownCreate, ownUpdate } from '../../auth/index.ts';
import { compileObjectBuilder } from '../../codegen/object-builder.ts';
import type { Database, Key, Row, TableRepository, Transaction } from '../../db/database.ts';
import { andThen } from '../../db/dialect-adapter.ts';
import { presentRow, type RowView } from '../../db/row-reader.ts';
import { type RepositoryView, repositoryView } from '../../db/table-repository.ts';
import { NOT_FOUND } from '../../errors.ts';
import type { ColumnDescription, TableDescription } from '../../model/table-description.ts';
import { sendErrorDescription } from '../error-handler.ts';
import type { ErrorResponder } from '../error-responses.ts';
import { jsonMediaType, type Operation, type Schema, successResponse } from '../operations.ts';
import { pathOf } from '../request-target.ts';
import { answerRead, conditionalWriter, entityTagOf } from './conditional-requests.ts';
import { idempotentCreate } from './idempotent-create.ts';
import type { CrudPlan } from './infer-crud.ts';
import { nextPageLink, planListQuery, toListQuery } from './list-query.ts';
import { toManyWrites } from './to-many-writes.ts';

/** A handler compiled for its route: it answers the request itself. */
export type RouteHandler = (request: FastifyRequest, reply: FastifyReply) => unknown;

/** Builds a route's handler once the database and the route's error responder exist. */
export type CompileRoute = (db: Database, responder: ErrorResponder) => RouteHandler;

type Params = Record<string, unknown>;

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
    // Usually a number already (the parameter's schema coerced it); a string is read as one,
    // except a blank one, which Number() would take for 0.
    const number =
      typeof value === 'number' ? value : String(value).trim() === '' ? Number.NaN : Number(value);
    const fits = column.type === 'bigint' || Math.abs(number) < 2 ** 31;
    return Number.isSafeInteger(number) && fits ? number : undefined;
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
 * Rows as the schema reads: writeOnly columns never leave the server, and an unset optional
 * property whose schema does not allow null is left out rather than sent as null.
 */
function responseView(plan: CrudPlan): RowView {
  const properties = (plan.schema.properties ?? {}) as Record<string, unknown>;
  const columns = plan.table.columns;
  // An x-versioned row's version is its ETag, not a property of its schema.
  const hidden = columns.filter((column) => column.writeOnly || column.name === plan.table.version);
  return {
    hidden: new Set(hidden.map((c) => c.name)),
    omitNull: new Set(
      columns.filter((column) => !acceptsNull(properties[column.name])).map((c) => c.name),
    ),
  };
}

/**
 * The values a write stores: the body's values that are columns (a schema without
 * additionalProperties: false may carry more), then the scope's path parameters. One object,
 * built in place by generated code (codegen/object-builder.ts): one constant-name copy per column.
 */
function valuesWriter(table: TableDescription, scopeParams: readonly string[]) {
  const fromBody = compileObjectBuilder<Row>(
    table.columns
      .filter((column) => column.name !== table.version)
      .map((column) => ({
        name: column.name,
        from: { property: column.name },
        absent: 'keep-null',
      })),
  );
  return (body: unknown, params: Params): Row => {
    const values = fromBody((body ?? {}) as Row);
    for (const name of scopeParams) values[name] = params[name];
    return values;
  };
}

export function createCrudRoute(plan: CrudPlan, operation: Operation): CompileRoute {
  const { table } = plan;
  const keyColumn = primaryKeyColumn(table);
  const success = successResponse(operation.operation);
  const status = success?.status ?? 200;
  const media = jsonMediaType(success?.response.content);
  // application/json is Fastify's own type for serialized bodies: setting it again costs a lookup.
  const contentType = media && media.type !== 'application/json' ? media.type : undefined;
  const view = responseView(plan);
  const scoped = plan.scopeParams.length > 0;
  // A row checked against its parents must be read with its scope columns, even hidden ones.
  const readsInView = !plan.scopeParams.some((name) => view.hidden.has(name));
  const writtenValues = valuesWriter(table, plan.scopeParams);

  return (db, responder) => {
    const repository: TableRepository = db.repository(table.schemaName);
    const rows: RepositoryView = repositoryView(repository, view);
    // Lists of related keys are written with the row, in one transaction.
    const links = toManyWrites(plan, db);
    const inTransaction = (tx: Transaction) =>
      repositoryView(tx.repository(table.schemaName), view);

    /** The answer's body: the row in the response's shape, or nothing when the spec sends none. */
    const answer = (
      reply: FastifyReply,
      row: Row | undefined,
      headers?: Record<string, string>,
    ) => {
      reply.code(status);
      if (headers) reply.headers(headers);
      if (!media || row === undefined) {
        reply.send();
        return undefined;
      }
      if (contentType) reply.type(contentType);
      return row;
    };
    const notFound = (request: FastifyRequest, reply: FastifyReply) => {
      const key = plan.keyParam ? (request.params as Params)[plan.keyParam] : '';
      sendErrorDescription(
        {
          status: NOT_FOUND.statusCode,
          code: NOT_FOUND.code,
          message: `${table.schemaName} ${String(key)} not found`,
        },
        request,
        reply,
        responder,
      );
      return undefined;
    };
    const scopeOf = (params: Params): Row => {
      const scope: Row = {};
      for (const name of plan.scopeParams) scope[name] = params[name];
      return scope;
    };
    // Path values arrive coerced to their parameter's type, which may differ from the column's.
    const inScope = (params: Params, row: Row) =>
      plan.scopeParams.every((name) => String(row[name]) === String(params[name]));
    /** Scoped item routes check the row's parents, owned ones its owner, before writing to it. */
    const checkWrite = async (request: FastifyRequest, key: Key): Promise<Row | undefined> => {
      const params = request.params as Params;
      const row = await repository.findByKey(key);
      if (!row || !inScope(params, row)) return undefined;
      if (plan.owner) {
        checkOwner(plan.owner, request.principal, row, `${table.schemaName} ${String(key)}`);
      }
      return row;
    };
    const guarded = scoped || plan.owner !== undefined;
    const ifMatch = conditionalWriter(db, table, view);
    const etagOf = entityTagOf(table);
    /** A conditional write's answer carries the new ETag, so the next write can name it. */
    const answerConditional = (request: FastifyRequest, reply: FastifyReply, row?: Row) =>
      row ? answer(reply, row, { etag: etagOf(row) }) : notFound(request, reply);

    switch (plan.action) {
      case 'list': {
        const listPlan = planListQuery(operation, table);
        const nextHeader = header(operation, 'x-next');
        // x-owner-only: the caller's rows alone, as if the owner column were one more scope.
        const ownerOnly = plan.ownerOnly ? plan.owner : undefined;
        return (request, reply) => {
          const scope = scopeOf(request.params as Params);
          if (ownerOnly) {
            const owner = callerOwnerValue(ownerOnly, request.principal, table.schemaName);
            scope[ownerOnly.column.name] = owner;
          }
          const query = toListQuery(request.query as Params, listPlan, scope);
          return andThen(rows.list(query), (result) => {
            if (nextHeader && result.nextCursor !== undefined) {
              const link = nextPageLink(request.url, listPlan, query, result.nextCursor);
              if (link) reply.header(nextHeader, link);
            }
            reply.code(status);
            if (contentType) reply.type(contentType);
            return result.rows;
          });
        };
      }
      case 'create': {
        const locationHeader = header(operation, 'location');
        const idempotent = idempotentCreate(operation, db, table, view);
        const located = (request: FastifyRequest, row: Row) => {
          if (!locationHeader) return undefined;
          const path = pathOf(request.url).replace(/\/$/, '');
          return { [locationHeader]: `${path}/${encodeURIComponent(String(row[keyColumn.name]))}` };
        };
        return (request, reply) => {
          const values = writtenValues(request.body, request.params as Params);
          const owned = plan.owner
            ? ownCreate(plan.owner, request.principal, values, table.schemaName)
            : values;
          const pending = links?.take(request.body, false);
          const insert = (into: RepositoryView, tx: Transaction) =>
            pending
              ? andThen(into.insert(owned), (row) =>
                  links!.write(tx, row, pending, true).then(() => row),
                )
              : into.insert(owned);
          const replayable = idempotent?.(
            request,
            reply.code(status),
            insert,
            (row) => located(request, row),
            answer,
          );
          if (replayable) return replayable;
          if (pending) {
            return db
              .transaction(async (tx) => insert(inTransaction(tx), tx))
              .then((row) => answer(reply, row, located(request, row)));
          }
          return andThen(rows.insert(owned), (row) => answer(reply, row, located(request, row)));
        };
      }
      case 'read':
        return (request, reply) => {
          const params = request.params as Params;
          const key = toKey(params[plan.keyParam!], keyColumn);
          if (key === undefined) return notFound(request, reply);
          if (!scoped) {
            return andThen(rows.findByKey(key), (row) =>
              row ? answerRead(request, reply, row, answer, etagOf) : notFound(request, reply),
            );
          }
          const found = readsInView ? rows.findByKey(key) : repository.findByKey(key);
          return andThen(found, (row) =>
            row && inScope(params, row)
              ? answerRead(
                  request,
                  reply,
                  readsInView ? row : presentRow(row, view),
                  answer,
                  etagOf,
                )
              : notFound(request, reply),
          );
        };
      case 'replace':
      case 'update': {
        const write = plan.action === 'replace' ? rows.replace : rows.update;
        return (request, reply) => {
          const params = request.params as Params;
          const key = toKey(params[plan.keyParam!], keyColumn);
          if (key === undefined) return notFound(request, reply);
          const values = writtenValues(request.body, params);
          const pending = links?.take(request.body, plan.action === 'replace');
          const written = (changes: Row) => {
            const writeIn = (into: RepositoryView, tx: Transaction, version?: number) => {
              const row =
                plan.action === 'replace'
                  ? into.replace(key, changes, version)
                  : into.update(key, changes, version);
              if (!pending) return row;
              return andThen(row, (found) =>
                found ? links!.write(tx, found, pending, false).then(() => found) : undefined,
              );
            };
            const conditional = ifMatch(request, key, (into, tx, version) =>
              writeIn(into, tx, version),
            );
            if (conditional)
              return conditional.then((row) => answerConditional(request, reply, row));
            const changed = pending
              ? db.transaction(async (tx) => writeIn(inTransaction(tx), tx))
              : write(key, changes);
            return andThen(changed, (row) => (row ? answer(reply, row) : notFound(request, reply)));
          };
          if (!guarded) return written(values);
          return checkWrite(request, key).then((existing) => {
            if (!existing) return notFound(request, reply);
            return written(
              plan.owner ? ownUpdate(plan.owner, request.principal, values, existing) : values,
            );
          });
        };
      }
      case 'remove':
        return (request, reply) => {
          const key = toKey((request.params as Params)[plan.keyParam!], keyColumn);
          if (key === undefined) return notFound(request, reply);
          const removed = () => {
            const conditional = ifMatch(request, key, (rows, _tx, version) =>
              rows.remove(key, version),
            );
            if (conditional)
              return conditional.then((row) => answerConditional(request, reply, row));
            return andThen(rows.remove(key), (row) =>
              row ? answer(reply, row) : notFound(request, reply),
            );
          };
          if (!guarded) return removed();
          return checkWrite(request, key).then((existing) =>
            existing ? removed() : notFound(request, reply),
          );
        };
    }
  };
}
