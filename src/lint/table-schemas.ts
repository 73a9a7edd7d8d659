// A component schema that paths read and write like rows of a table (`GET /pets` lists it,
// `POST /pets` or `PUT /pets/{id}` stores it) but has no `x-tablename`: specstack then derives no
// table and serves no CRUD for it, so every one of those operations needs a hand-written handler.

import type { OperationObject, SchemaObject } from '../spec/index.ts';
import type { LintOperation, LintRule } from './lint-rule.ts';

const WRITES = new Set(['post', 'put', 'patch']);

function jsonSchema(content: Record<string, { schema?: SchemaObject }> | undefined) {
  const type = Object.keys(content ?? {}).find((media) =>
    /^application\/([\w.-]+\+)?json/.test(media),
  );
  return type === undefined ? undefined : content![type]!.schema;
}

function successSchema(operation: OperationObject): SchemaObject | undefined {
  const code = Object.keys(operation.responses ?? {}).find((status) => /^2/.test(status));
  return code === undefined ? undefined : jsonSchema(operation.responses[code]!.content);
}

/** The schemas an operation exchanges as rows: its body, its answer, or its answer's items. */
function rowSchemas({ method, operation }: LintOperation): SchemaObject[] {
  const answer = successSchema(operation);
  const rows = answer?.type === 'array' && answer.items ? [answer.items] : answer ? [answer] : [];
  const body = WRITES.has(method) ? jsonSchema(operation.requestBody?.content) : undefined;
  return body ? [...rows, body] : rows;
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
    // Per schema and collection: which methods exchange it there. A list and a write, or a read of
    // one item and a write of it, is a table's life.
    const uses = new Map<object, Map<string, Set<string>>>();
    for (const op of operations) {
      for (const schema of rowSchemas(op)) {
        if (!names.has(schema)) continue;
        const byCollection = uses.get(schema) ?? new Map<string, Set<string>>();
        uses.set(schema, byCollection);
        const collection = collectionOf(op.path);
        const labels = byCollection.get(collection) ?? new Set<string>();
        byCollection.set(collection, labels);
        labels.add(op.label);
      }
    }
    const warnings = [];
    for (const [schema, byCollection] of uses) {
      for (const [collection, labels] of byCollection) {
        const methods = [...labels].map((label) => label.split(' ')[0]!.toLowerCase());
        const reads = methods.includes('get');
        const writes = methods.some((method) => WRITES.has(method) || method === 'delete');
        if (!reads || !writes) continue;
        warnings.push({
          rule: 'table-schema',
          location: at(schema),
          message: `${names.get(schema)} is read and written like a table under ${collection} (${[...labels].join(', ')}) but has no x-tablename: specstack serves no CRUD for it, each of those operations needs a handler`,
        });
      }
    }
    return warnings;
  },
};
