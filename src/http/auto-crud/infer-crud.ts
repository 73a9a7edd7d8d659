// Decides which CRUD action an operation with no handler performs, and on which table, from the
// shape of the spec alone: the method, whether the path ends in a parameter, and the x-tablename
// schema its responses (or its neighbours' responses) return.

import { type OwnerRule, ownerRuleOf } from '../../auth/index.ts';
import { MODEL_INVALID } from '../../errors.ts';
import type { ModelDescription, TableDescription } from '../../model/table-description.ts';
import { jsonMediaType, type Operation, type Schema, successResponse } from '../operations.ts';

export type CrudAction = 'list' | 'create' | 'read' | 'replace' | 'update' | 'remove';

export interface CrudPlan {
  action: CrudAction;
  table: TableDescription;
  /** The x-tablename schema, as the spec declares it. */
  schema: Schema;
  /** The path parameter that holds the primary key (item operations). */
  keyParam?: string;
  /** Other path parameters named like a column: they scope the rows (`/owners/{owner_id}/pets`). */
  scopeParams: string[];
  /** The schema's x-owner rule: who may change which rows. */
  owner?: OwnerRule;
  /** `x-owner-only` on a list: only the caller's rows (the owner column is the caller's subject). */
  ownerOnly?: boolean;
}

const COLLECTION_ACTIONS: Partial<Record<Operation['method'], CrudAction>> = {
  get: 'list',
  post: 'create',
};
const ITEM_ACTIONS: Partial<Record<Operation['method'], CrudAction>> = {
  get: 'read',
  put: 'replace',
  patch: 'update',
  delete: 'remove',
};

function pathParams(specPath: string): string[] {
  return [...specPath.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
}

function itemKeyParam(specPath: string): string | undefined {
  return /\/\{([^}]+)\}$/.exec(specPath)?.[1];
}

/** The x-tablename schema a response or body is, or is an array of. */
export function tableSchemaOf(schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  if (typeof schema['x-tablename'] === 'string') return schema;
  const items = schema.items as Schema | undefined;
  if (items && typeof items['x-tablename'] === 'string') return items;
  return undefined;
}

function tableSchemaOfOperation(operation: Operation): Schema | undefined {
  const success = successResponse(operation.operation);
  return (
    tableSchemaOf(jsonMediaType(success?.response.content)?.media.schema) ??
    tableSchemaOf(jsonMediaType(operation.operation.requestBody?.content)?.media.schema)
  );
}

/** The table an operation works on: its own schemas first, then those of its path and its collection. */
function findTable(
  operation: Operation,
  operations: readonly Operation[],
  model: ModelDescription,
): { table: TableDescription; schema: Schema } | undefined {
  const collectionPath = operation.path.replace(/\/\{[^}]+\}$/, '');
  const candidates = [
    operation,
    ...operations.filter((other) => other !== operation && other.path === operation.path),
    ...operations.filter((other) => other.path === collectionPath),
  ];
  for (const candidate of candidates) {
    const schema = tableSchemaOfOperation(candidate);
    const table = schema && model.tables.find((t) => t.tableName === schema['x-tablename']);
    if (table) return { table, schema };
  }
  return undefined;
}

export function inferCrud(
  operation: Operation,
  operations: readonly Operation[],
  model: ModelDescription,
): CrudPlan | undefined {
  const keyParam = itemKeyParam(operation.path);
  const action = keyParam ? ITEM_ACTIONS[operation.method] : COLLECTION_ACTIONS[operation.method];
  if (!action) return undefined;
  const found = findTable(operation, operations, model);
  if (!found) return undefined;
  const { table, schema } = found;
  if (keyParam && table.primaryKey.length !== 1) return undefined;
  const columns = new Set(table.columns.map((column) => column.name));
  const scopeParams = pathParams(operation.path).filter(
    (name) => name !== keyParam && columns.has(name),
  );
  const owner = ownerRuleOf(schema, table);
  const ownerOnly = operation.operation['x-owner-only'] === true;
  if (ownerOnly && (action !== 'list' || !owner)) {
    throw MODEL_INVALID(
      `${operation.pointer}/x-owner-only: lists only the caller's rows, so it needs a list of a schema with x-owner`,
      { pointer: `${operation.pointer}/x-owner-only` },
    );
  }
  return {
    action,
    table,
    schema,
    keyParam,
    scopeParams,
    ...(owner ? { owner } : {}),
    ...(ownerOnly ? { ownerOnly } : {}),
  };
}
