// Long-running operations: an operation marked `x-job: NAME` enqueues that job and answers
// 202 Accepted with `Location: <base>/tasks/{taskId}`; GET /tasks/{taskId} shows the job's state,
// progress and result. A task is a row of specstack_tasks pointing at the job, written with the
// job (in one transaction on the embedded backend), so only jobs started through an x-job
// operation can be read this way, and only by whom the operation's security lets in: the caller who
// started it when the operation authenticates, anyone holding its random id when it is public.

import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, SecurityCheck } from '../../auth/index.ts';
import type { Database, Transaction } from '../../db/database.ts';
import { FORBIDDEN, NOT_FOUND, SPEC_INVALID, UNAUTHORIZED } from '../../errors.ts';
import type { Jobs } from '../../jobs/create-jobs.ts';
import { postgresExecutor } from '../../jobs/embedded/postgres-executor.ts';
import type { SqlExecutor } from '../../jobs/embedded/sql-executor.ts';
import { sqliteExecutor, sqliteTransactionExecutor } from '../../jobs/embedded/sqlite-executor.ts';
import type { JobRecord, JobState } from '../../jobs/jobs-backend.ts';
import { sendError } from '../error-handler.ts';
import type { ErrorResponder } from '../error-responses.ts';
import type { OperationRoute } from '../operation-route.ts';
import { jsonMediaType, type Operation } from '../operations.ts';
import { TASKS_TABLE } from './task-schema.ts';

/** What the job of an x-job operation gets as its payload: the request, validated. */
export interface JobRequestPayload<Body = unknown> {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  /** The request body; null when there is none. */
  body: Body | null;
  /** The caller, when the operation authenticated one. */
  requestedBy: { subject: string; scopes: string[] } | null;
}

/** A task as GET /tasks/{taskId} and the 202 answer show it. Times are ISO 8601 in UTC. */
export interface TaskRecord {
  id: string;
  /** The operationId (or `METHOD path`) of the operation that started it. */
  operation: string;
  state: JobState;
  /** What the job last reported with context.progress(). */
  progress?: unknown;
  /** What the job returned, once completed. */
  result?: unknown;
  /** The last attempt's error message (never its stack), once failed or while retrying. */
  error?: string;
  attemptsMade: number;
  attempts: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

/** The JSON Schema of TaskRecord, as the served spec declares it. */
export const TASK_SCHEMA = {
  type: 'object',
  description:
    'A long-running operation: the job an x-job operation started, as its worker last recorded it',
  required: ['id', 'operation', 'state', 'attemptsMade', 'attempts', 'createdAt'],
  properties: {
    id: { type: 'string', description: 'Random; the {taskId} of GET /tasks/{taskId}' },
    operation: { type: 'string', description: 'The operation that started the task' },
    state: { type: 'string', enum: ['waiting', 'delayed', 'active', 'completed', 'failed'] },
    progress: { description: 'What the job last reported as its progress' },
    result: { description: 'What the job returned, once completed' },
    error: { type: 'string', description: "The last attempt's error, once failed or retrying" },
    attemptsMade: { type: 'integer', minimum: 0 },
    attempts: { type: 'integer', minimum: 1 },
    createdAt: { type: 'string', format: 'date-time' },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** The x-job value of an operation, or undefined when it has none. */
export function jobNameOf(operation: Operation): string | undefined {
  const value = operation.operation['x-job'];
  return value === undefined ? undefined : (value as string);
}

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

export interface TaskServiceOptions {
  db: Database;
  jobs: Jobs;
  /** The spec's base path (`/api`): Location is `<basePath>/tasks/<id>`. */
  basePath: string;
}

export interface TaskService {
  /** Enqueues the operation's job and records the task; resolves to the task as it is now. */
  start(operation: Operation, job: string, request: FastifyRequest): Promise<TaskRecord>;
  /** The task and its operation's name; undefined when there is none (or its job is gone). */
  find(id: string): Promise<{ task: TaskRecord; subject: string | null } | undefined>;
  locationOf(id: string): string;
}

const INSERT = `INSERT INTO ${TASKS_TABLE} (id, job_id, operation, subject, created_at) VALUES (?, ?, ?, ?, ?)`;
const SELECT = `SELECT job_id, operation, subject FROM ${TASKS_TABLE} WHERE id = ?`;

/** A task id is a random UUID: anything else names no task, and is never looked up. */
const TASK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function taskOf(id: string, operation: string, job: JobRecord): TaskRecord {
  const task: TaskRecord = {
    id,
    operation,
    state: job.state,
    attemptsMade: job.attemptsMade,
    attempts: job.attempts,
    createdAt: job.createdAt,
  };
  if (job.progress !== undefined) task.progress = job.progress;
  if (job.result !== undefined) task.result = job.result;
  if (job.error !== undefined) task.error = job.error;
  if (job.startedAt) task.startedAt = job.startedAt;
  if (job.finishedAt) task.finishedAt = job.finishedAt;
  return task;
}

function payloadOf(request: FastifyRequest): JobRequestPayload {
  const principal = request.principal as Principal | undefined;
  return {
    params: { ...((request.params as Record<string, unknown>) ?? {}) },
    query: { ...((request.query as Record<string, unknown>) ?? {}) },
    body: request.body ?? null,
    requestedBy: principal ? { subject: principal.subject, scopes: principal.scopes } : null,
  };
}

export function createTaskService(options: TaskServiceOptions): TaskService {
  const { db, jobs } = options;
  const sql: SqlExecutor =
    db.client.dialect === 'sqlite' ? sqliteExecutor(db) : postgresExecutor(db.client.pool);
  const executorOf = (tx: Transaction): SqlExecutor =>
    tx.client.dialect === 'sqlite'
      ? sqliteTransactionExecutor(tx.client.sqlite)
      : postgresExecutor(tx.client.client);

  async function read(id: string, operation: string, jobId: string) {
    const job = await jobs.backend.getJob(jobId);
    return job ? taskOf(id, operation, job) : undefined;
  }

  return {
    async start(operation, job, request) {
      const id = randomUUID();
      const subject = (request.principal as Principal | undefined)?.subject ?? null;
      const payload = payloadOf(request);
      const record = (executor: SqlExecutor, jobId: string) =>
        executor.run(INSERT, [id, jobId, operation.name, subject, Date.now()]);
      let jobId: string;
      if (jobs.backend.kind === 'embedded') {
        // The job and its task commit together, or neither does.
        jobId = await db.transaction(async (tx) => {
          const enqueued = await jobs.enqueue(job, payload, { transaction: tx });
          await record(executorOf(tx), enqueued.id);
          return enqueued.id;
        });
      } else {
        // Redis cannot join the transaction: the job is on Redis (or the enqueue failed, a 503)
        // before its task is written. A job whose task could not be written runs unseen.
        jobId = (await jobs.enqueue(job, payload)).id;
        await record(sql, jobId);
      }
      const task = await read(id, operation.name, jobId);
      if (task) return task;
      // Never seen in practice: a job removed between its enqueue and this read.
      return {
        id,
        operation: operation.name,
        state: 'waiting',
        attemptsMade: 0,
        attempts: 1,
        createdAt: new Date().toISOString(),
      };
    },
    async find(id) {
      if (!TASK_ID.test(id)) return undefined;
      const [row] = await sql.all(SELECT, [id]);
      if (!row) return undefined;
      const task = await read(id, String(row.operation), String(row.job_id));
      return task
        ? { task, subject: row.subject === null ? null : String(row.subject) }
        : undefined;
    },
    locationOf: (id) => `${options.basePath}/tasks/${id}`,
  };
}

/** The route handler of an x-job operation: enqueue, then 202 with Location and the task. */
export function jobOperationHandler(operation: Operation, job: string, tasks: TaskService) {
  const ownSchema = jsonMediaType(operation.operation.responses?.['202']?.content)?.media.schema;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const task = await tasks.start(operation, job, request);
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
