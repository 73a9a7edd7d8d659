// A component schema that paths read and write like rows of a table (`GET /pets` lists it,
// `POST /pets` or `PUT /pets/{id}` stores it) but has no `x-tablename`: specstack then derives no
// table and serves no CRUD for it, so every one of those operations needs a hand-written handler.

import { jsonMediaType, successResponse } from '../http/operations.ts';
import type { SchemaObject } from '../spec/index.ts';
import type { LintOperation, LintRule, LintWarning } from './lint-rule.ts';

const WRITES = new Set(['post', 'put', 'patch']);

/** The schemas an operation exchanges as rows: its body, its answer, or its answer's items. */
function rowSchemas({ method, operation }: LintOperation): object[] {
  const answer = jsonMediaType(successResponse(operation)?.response.content)?.media.schema as
    | SchemaObject
    | undefined;
  const rows = answer?.type === 'array' && answer.items ? [answer.items] : answer ? [answer] : [];
  const body = WRITES.has(method) ? jsonMediaType(operation.requestBody?.content) : undefined;
  return body?.media.schema ? [...rows, body.media.schema] : rows;
}

/** `/pets/{id}` -> `/pets`; a path that does not end in a parameter is its own collection. */
function collectionOf(path: string): string {
  return /\/\{[^}/]+\}$/.test(path) ? path.replace(/\/\{[^}/]+\}$/, '') : path;
}

export const tableSchemas: LintRule = {
  name: 'table-schema',
  check({ document, operations, at }) {
    const names = new Map<object, string>();
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      if (schema && typeof schema === 'object' && !('x-tablename' in schema))
        names.set(schema, name);
    }
    // Per schema and collection, the operations that exchange it there: a read and a write is a
    // table's life.
    const uses = new Map<object, Map<string, LintOperation[]>>();
    for (const op of operations) {
      for (const schema of rowSchemas(op)) {
        if (!names.has(schema)) continue;
        const byCollection = uses.get(schema) ?? new Map<string, LintOperation[]>();
        uses.set(schema, byCollection);
        const collection = collectionOf(op.path);
        byCollection.set(collection, [...(byCollection.get(collection) ?? []), op]);
      }
    }
    const warnings: LintWarning[] = [];
    for (const [schema, byCollection] of uses) {
      for (const [collection, ops] of byCollection) {
        const reads = ops.some((op) => op.method === 'get');
        if (!reads || !ops.some((op) => WRITES.has(op.method))) continue;
        const labels = [...new Set(ops.map((op) => op.label))].join(', ');
        warnings.push({
          rule: 'table-schema',
          location: at(schema),
          message: `${names.get(schema)} is read and written like a table under ${collection} (${labels}) but has no x-tablename: specstack serves no CRUD for it, each of those operations needs a handler`,
        });
      }
    }
    return warnings;
  },
};
