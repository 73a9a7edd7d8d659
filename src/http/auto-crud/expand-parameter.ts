// The optional `expand` query parameter of auto-CRUD reads. The spec declares it, with an enum of
// relationship properties: those are loaded only when a request names them (`?expand=division`),
// so without it an answer carries only what the schema declares besides, such as the foreign-key
// column (`division_id`: the key). Relationships the enum leaves out are loaded as always.

import { SPEC_INVALID } from '../../errors.ts';
import type { TableDescription } from '../../model/table-description.ts';
import type { Operation, Schema } from '../operations.ts';
import type { CrudPlan } from './infer-crud.ts';

export const EXPAND_PARAM = 'expand';

function enumOf(schema: Schema | undefined): unknown[] | undefined {
  if (!schema) return undefined;
  if (Array.isArray(schema.enum)) return schema.enum;
  const items = schema.items as Schema | undefined;
  return Array.isArray(items?.enum) ? items.enum : undefined;
}

/**
 * The relationships an operation's `expand` parameter may load, or undefined when it declares
 * none. Refused at start-up: an enum missing, or naming what the answer cannot leave out.
 */
export function expandableRelationships(
  operation: Operation,
  plan: CrudPlan,
): ReadonlySet<string> | undefined {
  if (plan.action !== 'read' && plan.action !== 'list') return undefined;
  const index = operation.parameters.findIndex((p) => p.in === 'query' && p.name === EXPAND_PARAM);
  if (index === -1) return undefined;
  const pointer = `${operation.pointer}/parameters/${index}/schema`;
  const values = enumOf(operation.parameters[index]!.schema as Schema | undefined);
  if (!values || values.length === 0) {
    throw SPEC_INVALID(
      `${pointer}: the expand parameter lists the relationships it loads: give it an enum of them (a string, or an array of strings)`,
      { pointer },
    );
  }
  return new Set(values.map((value) => checkExpandable(value, plan.table, plan.schema, pointer)));
}

function checkExpandable(
  value: unknown,
  table: TableDescription,
  schema: Schema,
  pointer: string,
): string {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const name = String(value);
  const shown = table.relationships.some((r) => r.property === name) && name in properties;
  if (!shown) {
    throw SPEC_INVALID(
      `${pointer}: expand names "${name}", which is no relationship ${table.schemaName} shows`,
      { pointer },
    );
  }
  if (required.has(name)) {
    throw SPEC_INVALID(
      `${pointer}: expand names "${name}", which ${table.schemaName} requires, so its answers always carry it: take it out of required`,
      { pointer },
    );
  }
  return name;
}

/** The relationships a request asks for: `?expand=a,b`, `?expand=a&expand=b`, as validated. */
export function requestedExpansions(query: unknown): ReadonlySet<string> {
  const value = (query as Record<string, unknown> | undefined)?.[EXPAND_PARAM];
  if (value === undefined || value === null) return new Set();
  const list = Array.isArray(value) ? value : [value];
  return new Set(list.flatMap((item) => String(item).split(',')).map((name) => name.trim()));
}
