// Which code serves an operation: its own handler, else auto-CRUD, else a start-up error that
// says how to provide one. The server and `specstack routes` both ask here.

import { HANDLER_NOT_FOUND, SPEC_INVALID } from '../errors.ts';
import type { ModelDescription } from '../model/table-description.ts';
import { type CompileRoute, createCrudRoute } from './auto-crud/crud-handlers.ts';
import { inferCrud } from './auto-crud/infer-crud.ts';
import { withAnswerRelationships, withRelationships } from './auto-crud/relationship-route.ts';
import { type FoundHandler, findHandler, type HandlerModules } from './handler-modules.ts';
import type { Operation } from './operations.ts';

/** An `x-job` operation: specstack enqueues the job and answers 202 with its task. */
export interface JobHandler {
  job: string;
  source: string;
}

/** Auto-CRUD: a route handler compiled against the database, with no handler context. */
export interface CrudHandler {
  compile: CompileRoute;
  source: string;
}

export function resolveHandler(
  operation: Operation,
  operations: readonly Operation[],
  model: ModelDescription,
  modules: HandlerModules,
): FoundHandler | CrudHandler | JobHandler {
  const job = operation.operation['x-job'];
  if (job !== undefined) {
    const pointer = `${operation.pointer}/x-job`;
    if (typeof job !== 'string' || job === '') {
      throw SPEC_INVALID(`${pointer}: x-job must be the name of a job in jobs/`, { pointer });
    }
    if (operation.operation['x-handler'] !== undefined) {
      throw SPEC_INVALID(
        `${pointer}: an x-job operation is served by specstack (it enqueues ${job}); remove its x-handler`,
        { pointer },
      );
    }
    return { job, source: `job ${job}` };
  }
  const own = findHandler(modules, operation);
  if (own) return { ...own, handler: withAnswerRelationships(own.handler, operation, model) };
  const plan = inferCrud(operation, operations, model);
  if (plan) {
    return {
      compile: withRelationships(createCrudRoute(plan, operation), plan, operation),
      source: `auto-CRUD ${plan.action} ${plan.table.tableName}`,
    };
  }
  const exportName = operation.operation.operationId ?? 'handlerName';
  throw HANDLER_NOT_FOUND(
    `${operation.pointer}: no handler for ${operation.name}. Export a function "${exportName}" from a module in handlers/ (or set x-handler: module#export), or return an x-tablename schema so auto-CRUD can serve it`,
    { pointer: operation.pointer },
  );
}
