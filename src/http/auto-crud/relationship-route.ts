// Wraps an auto-CRUD route of a table with relationships: a to-one written as the related
// object's key (`{"division": {"id": 3}}`) is stored in its foreign-key column, and answers carry
// the related objects the schema shows. Routes of tables without them are returned untouched.

import type { Row } from '../../db/database.ts';
import { andThen } from '../../db/dialect-adapter.ts';
import type { RelationshipDescription } from '../../model/table-description.ts';
import type { CompileRoute } from './crud-handlers.ts';
import type { CrudPlan } from './infer-crud.ts';
import { planRelationships } from './relationship-loader.ts';

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
      body[r.foreignKeyColumn] = (related as Row)[r.referencedColumn];
    }
  }
}

export function withRelationships(compile: CompileRoute, plan: CrudPlan): CompileRoute {
  const keys = writableKeys(plan);
  // A deleted row's relations may be gone with it: the answer is the row alone.
  const load = plan.action === 'remove' ? undefined : planRelationships(plan.table, plan.schema);
  if (!load && keys.length === 0) return compile;
  return (db, responder) => {
    const handler = compile(db, responder);
    return (request, reply) => {
      if (keys.length > 0 && typeof request.body === 'object' && request.body !== null) {
        keysToColumns(request.body as Row, keys);
      }
      const answered = handler(request, reply);
      if (!load) return answered;
      return andThen(answered, (body) => {
        if (typeof body !== 'object' || body === null) return body;
        return load(db, Array.isArray(body) ? body : [body as Row]).then(() => body);
      });
    };
  };
}
