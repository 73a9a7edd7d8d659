// Long-running operations over HTTP: an operation marked `x-job: NAME` enqueues that job and
// answers 202 Accepted with `Location: <base>/tasks/{taskId}`; GET /tasks/{taskId} shows the job's
// state, progress and result, to whom the operation's security lets in: the caller who started it
// when the operation authenticates, anyone holding its random id when it is public.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SecurityCheck } from '../../auth/index.ts';
import type { Database } from '../../db/database.ts';
import { FORBIDDEN, NOT_FOUND, SPEC_INVALID, UNAUTHORIZED } from '../../errors.ts';
import type { Jobs } from '../../jobs/create-jobs.ts';
import { sendError } from '../error-handler.ts';
import type { ErrorResponder } from '../error-responses.ts';
import { idempotencyKeys } from '../idempotency-keys.ts';
import type { OperationRoute } from '../operation-route.ts';
import { jsonMediaType, type Operation } from '../operations.ts';
import { createTaskService, type TaskService } from './task-service.ts';

/** A start-up error for an x-job that names no job of the app. */
export function checkJobName(operation: Operation, names: ReadonlySet<string>): void {
  const name = operation.operation['x-job'];
  if (name === undefined) return;
  const pointer = `${operation.pointer}/x-job`;
  if (typeof name !== 'string' || name === '') {
    throw SPEC_INVALID(`${pointer}: x-job must be the name of a job in jobs/`, { pointer });
  }
  if (!names.has(name)) {
    throw SPEC_INVALID(
      `${pointer}: no job named ${JSON.stringify(name)} is defined in jobs/ (defined: ${[...names].sort().join(', ') || 'none'})`,
      { pointer },
    );
  }
}

/**
 * The route handler of an x-job operation: enqueue, then 202 with Location and the task. Where
 * the operation declares an Idempotency-Key header, a retry with the key replays the first task.
 */
export function jobOperationHandler(operation: Operation, job: string, tasks: TaskService) {
  const ownSchema = jsonMediaType(operation.operation.responses?.['202']?.content)?.media.schema;
  const keyOf = idempotencyKeys(operation);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    // A key is the caller's own: another caller's retry with it starts a task of its own.
    const key = keyOf?.(request);
    const { task, replayed } = await tasks.start(operation, job, request, key);
    if (replayed) reply.header('idempotent-replayed', 'true');
    reply.code(202).header('location', tasks.locationOf(task.id));
    // Without a schema of its own the 202 would be serialized by the `default` (error) one.
    if (!ownSchema) reply.type('application/json').serializer(JSON.stringify);
    return reply.send(task);
  };
}

/**
 * Who may read a task: the security of the operation that started it applies again (a token that
 * lost its scope reads no more), and when that operation authenticated its caller, only that
 * caller reads the task; anyone else gets the same 404 as for an id that names no task.
 */
async function admit(
  request: FastifyRequest,
  reply: FastifyReply,
  check: SecurityCheck | undefined,
  subject: string | null,
): Promise<boolean> {
  if (!check) return subject === null;
  const outcome = await check(request);
  if (!outcome.ok) {
    if (outcome.challenges.length > 0) reply.header('www-authenticate', outcome.challenges);
    throw (outcome.status === 403 ? FORBIDDEN : UNAUTHORIZED)(outcome.message);
  }
  if (outcome.principal) request.principal = outcome.principal;
  return subject === null || outcome.principal?.subject === subject;
}

export interface TaskRouteOptions {
  routes: readonly OperationRoute[];
  db: Database;
  jobs: Jobs;
  /** Errors of GET /tasks/{taskId} take the shape every operation shares. */
  responder: ErrorResponder;
  basePath: string;
}

/** The spec's own GET /tasks/{…}, which the framework's route would collide with. */
function ownTaskRoute(routes: readonly OperationRoute[]): Operation | undefined {
  return routes
    .map((route) => route.operation)
    .find((operation) => operation.method === 'get' && /^\/tasks\/\{[^}]+\}$/.test(operation.path));
}

/**
 * GET <base>/tasks/:taskId, registered when the spec has at least one x-job operation, whose job
 * names are checked against the app's jobs first. Returns the service x-job routes enqueue with.
 */
export function registerTaskRoute(
  fastify: FastifyInstance,
  options: TaskRouteOptions,
): TaskService | undefined {
  const jobRoutes = options.routes.filter((route) => 'job' in route);
  if (jobRoutes.length === 0) return undefined;
  const names = new Set(options.jobs.registry.keys());
  for (const route of jobRoutes) checkJobName(route.operation, names);
  const own = ownTaskRoute(options.routes);
  if (own) {
    throw SPEC_INVALID(
      `${own.pointer}: GET /tasks/{taskId} is where specstack shows the tasks of x-job operations; move this operation`,
      { pointer: own.pointer },
    );
  }
  const security = new Map(jobRoutes.map((route) => [route.operation.name, route.security]));
  const tasks = createTaskService({
    db: options.db,
    jobs: options.jobs,
    basePath: options.basePath,
  });
  const { responder } = options;
  fastify.route({
    method: 'GET',
    url: `${options.basePath}/tasks/:taskId`,
    config: { servesData: true },
    handler: async (request, reply) => {
      try {
        const { taskId } = request.params as { taskId: string };
        const found = await tasks.find(taskId);
        const missing = () => NOT_FOUND(`no task ${JSON.stringify(taskId)}`);
        if (!found) throw missing();
        const allowed = await admit(
          request,
          reply,
          security.get(found.task.operation),
          found.subject,
        );
        if (!allowed) throw missing();
        reply.header('cache-control', 'no-store');
        return reply.send(found.task);
      } catch (error) {
        return sendError(error, request, reply, responder);
      }
    },
  });
  return tasks;
}
