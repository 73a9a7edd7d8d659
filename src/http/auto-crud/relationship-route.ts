// Wraps an auto-CRUD route of a table with relationships: a to-one written as the related
// object's key (`{"division": {"id": 3}}`) is stored in its foreign-key column, and answers carry
// the related objects the schema shows (those an `expand` parameter names, only when asked).
// Handlers' answers get the same related objects. Routes of tables without them are returned
// untouched.

import type { Row } from '../../db/database.ts';
import { andThen, isPromise } from '../../db/dialect-adapter.ts';
import { isSpecstackError, VALIDATION } from '../../errors.ts';
import type { ModelDescription, RelationshipDescription } from '../../model/table-description.ts';
import { type Handler, isHandlerResponse } from '../handler-types.ts';
import { jsonMediaType, type Operation, successResponse } from '../operations.ts';
import type { CompileRoute } from './crud-handlers.ts';
import { expandableRelationships, requestedExpansions } from './expand-parameter.ts';
import { type CrudPlan, tableSchemaOf } from './infer-crud.ts';
import { type LoadRelationships, planRelationships } from './relationship-loader.ts';

/** To-one relationships whose key this table holds: the ones a body can set. */
function writableKeys(plan: CrudPlan): RelationshipDescription[] {
  if (plan.action !== 'create' && plan.action !== 'replace' && plan.action !== 'update') return [];
  return plan.table.relationships.filter((r) => r.foreignKeyOn === 'self' && !r.readOnly);
}

/** `division: { id: 3 }` -> `division_id: 3`, and `division: null` clears it. */
function keysToColumns(body: Row, relationships: RelationshipDescription[]): void {
  for (const r of relationships) {
    if (!(r.property in body) || r.foreignKeyColumn in body) continue;
    const related = body[r.property];
    if (related === null) body[r.foreignKeyColumn] = null;
    else if (typeof related === 'object') {
      const key = (related as Row)[r.referencedColumn];
      if (key === undefined || key === null) {
        const field = `body.${r.property}.${r.referencedColumn}`;
        const message = `is required: ${r.property} is written by the key of its ${r.targetSchema}`;
        throw VALIDATION(`${field}: ${message}`, { details: [{ field, message }] });
      }
      body[r.foreignKeyColumn] = key;
    }
  }
}

/**
 * A refused foreign-key value is named as the client sent it (`body.division.id`), not by the
 * column it was stored in (`body.division_id`).
 */
function asSent(error: unknown, relationships: RelationshipDescription[]): never {
  const pointer = isSpecstackError(error) ? error.pointer : undefined;
  const r = relationships.find((each) => pointer === `body.${each.foreignKeyColumn}`);
  if (!r || !isSpecstackError(error) || error.code !== VALIDATION.code) throw error;
  const field = `body.${r.property}.${r.referencedColumn}`;
  const message = error.message.slice(error.message.indexOf(': ') + 2);
  throw VALIDATION(`${field}: ${message}`, { pointer: field, details: [{ field, message }] });
}

export function withRelationships(
  compile: CompileRoute,
  plan: CrudPlan,
  operation: Operation,
): CompileRoute {
  const keys = writableKeys(plan);
  const expandable = expandableRelationships(operation, plan);
  // A deleted row's relations may be gone with it: the answer is the row alone.
  const load =
    plan.action === 'remove' ? undefined : planRelationships(plan.table, plan.schema, expandable);
  if (!load && keys.length === 0) return compile;
  return (db, responder) => {
    const handler = compile(db, responder);
    return (request, reply) => {
      let answered: unknown;
      if (keys.length > 0 && typeof request.body === 'object' && request.body !== null) {
        keysToColumns(request.body as Row, keys);
        try {
          answered = handler(request, reply);
        } catch (error) {
          asSent(error, keys);
        }
        if (isPromise(answered)) answered = answered.catch((error) => asSent(error, keys));
      } else {
        answered = handler(request, reply);
      }
      if (!load) return answered;
      return andThen(answered, (body) => {
        if (typeof body !== 'object' || body === null) return body;
        const expanded = expandable ? requestedExpansions(request.query) : undefined;
        return load(db, Array.isArray(body) ? body : [body as Row], expanded).then(() => body);
      });
    };
  };
}

/** Per 2xx status, the loader of the relationships its x-tablename answer schema shows. */
function answerLoaders(
  operation: Operation,
  model: ModelDescription,
): Map<number, LoadRelationships> {
  const loaders = new Map<number, LoadRelationships>();
  for (const [code, response] of Object.entries(operation.operation.responses ?? {})) {
    if (!/^2\d\d$/.test(code)) continue;
    const schema = tableSchemaOf(jsonMediaType(response.content)?.media.schema);
    const table = schema && model.tables.find((t) => t.tableName === schema['x-tablename']);
    const load = table && planRelationships(table, schema);
    if (load) loaders.set(Number(code), load);
  }
  return loaders;
}

/**
 * A handler whose answer is rows of a table with relationships the schema shows: the related
 * objects the answer leaves out are loaded as auto-CRUD loads them (one query per relationship).
 * Handlers whose answers show none are returned untouched.
 */
export function withAnswerRelationships(
  handler: Handler,
  operation: Operation,
  model: ModelDescription,
): Handler {
  const loaders = answerLoaders(operation, model);
  if (loaders.size === 0) return handler;
  const success = successResponse(operation.operation)?.status ?? 200;
  return async (context) => {
    const result = await handler(context);
    const [status, body] = isHandlerResponse(result)
      ? [result.status, result.body]
      : [success, result];
    const load = loaders.get(status);
    if (load && typeof body === 'object' && body !== null) {
      await load(context.db, Array.isArray(body) ? body : [body as Row]);
    }
    return result;
  };
}
