// The served spec, completed with what specstack adds to the written one: `links` from each
// auto-CRUD create to its item's read, update and delete (stateful testers chain them), and the
// error answers auto-CRUD can give that the spec leaves undeclared, and the 202 answers of x-job
// operations with GET /tasks/{taskId} (tasks/task-spec.ts), and the framework's own answers and
// conditional headers (complete-answers.ts). The written spec is untouched.

import type { ModelDescription } from '../model/table-description.ts';
import { type CrudAction, inferCrud } from './auto-crud/infer-crud.ts';
import { addFrameworkAnswers } from './complete-answers.ts';
import { PROBLEM_JSON } from './error-responses.ts';
import type { Operation } from './operations.ts';
import { addTaskOperations } from './tasks/task-spec.ts';

type Json = Record<string, unknown>;

const PROBLEM_RESPONSE = (description: string) => ({
  description,
  content: {
    [PROBLEM_JSON]: {
      schema: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          code: { type: 'string' },
        },
      },
    },
  },
});

/** The errors each auto-CRUD action can answer with, beyond validation. */
const ACTION_ERRORS: Record<CrudAction, Record<string, string>> = {
  list: {},
  create: { '409': 'a unique value is taken, or a referenced row is missing' },
  read: { '404': 'no row with that key' },
  replace: { '404': 'no row with that key', '412': 'If-Match names an old version of the row' },
  update: { '404': 'no row with that key', '412': 'If-Match names an old version of the row' },
  remove: { '404': 'no row with that key', '412': 'If-Match names an old version of the row' },
};

const LINK_NAMES: Partial<Record<CrudAction, string>> = {
  read: 'read',
  replace: 'replace',
  update: 'update',
  remove: 'delete',
};

function operationIn(document: Json, operation: Operation): Json | undefined {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Json>>;
  return paths[operation.path]?.[operation.method];
}

/** Error answers the operation declares neither by status, range nor `default` are added as problem+json. */
function addErrors(target: Json, action: CrudAction): void {
  const responses = (target.responses ?? {}) as Record<string, unknown>;
  if ('default' in responses) return;
  for (const [status, description] of Object.entries(ACTION_ERRORS[action])) {
    if (!(status in responses) && !(`${status[0]}XX` in responses)) {
      responses[status] = PROBLEM_RESPONSE(description);
    }
  }
  target.responses = responses;
}

/** Links from a create's success response to its item operations, keyed by the created body's key. */
function addLinks(
  target: Json,
  items: { operation: Operation; action: CrudAction; key: string; pk: string }[],
) {
  const responses = (target.responses ?? {}) as Record<string, Json>;
  const success = Object.entries(responses).find(([status]) => /^2\d\d$/.test(status))?.[1];
  if (!success || success.links) return;
  const links: Json = {};
  for (const item of items) {
    const id = item.operation.operation.operationId;
    const name = LINK_NAMES[item.action];
    if (!id || !name) continue;
    links[name] = { operationId: id, parameters: { [item.key]: `$response.body#/${item.pk}` } };
  }
  if (Object.keys(links).length > 0) success.links = links;
}

export function completeSpec(
  bundled: Json,
  operations: readonly Operation[],
  model: ModelDescription,
  /** The operations auto-CRUD serves (default: every one it could, by the spec alone). */
  isAutoCrud: (operation: Operation) => boolean = () => true,
): Json {
  const document = structuredClone(bundled);
  const plans = operations.flatMap((operation) => {
    const plan = inferCrud(operation, operations, model);
    return plan && operationIn(document, operation) ? [{ operation, plan }] : [];
  });
  for (const { operation, plan } of plans)
    addErrors(operationIn(document, operation)!, plan.action);
  for (const { operation, plan } of plans) {
    if (plan.action !== 'create') continue;
    const items = plans
      .filter(
        ({ operation: item, plan: itemPlan }) =>
          itemPlan.table === plan.table &&
          itemPlan.keyParam !== undefined &&
          item.path.replace(/\/\{[^}]+\}$/, '') === operation.path,
      )
      .map(({ operation: item, plan: itemPlan }) => ({
        operation: item,
        action: itemPlan.action,
        key: itemPlan.keyParam!,
        pk: itemPlan.table.primaryKey[0]!,
      }));
    addLinks(operationIn(document, operation)!, items);
  }
  addFrameworkAnswers(document, operations, model, PROBLEM_RESPONSE, isAutoCrud);
  addTaskOperations(document, operations, PROBLEM_RESPONSE);
  return document;
}
