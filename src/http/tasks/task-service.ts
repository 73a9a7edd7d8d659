// The tasks of long-running operations: an `x-job` operation's job, enqueued with the request as
// its payload, and a row of specstack_tasks naming it, the operation and the caller who started
// it (in one transaction on the embedded backend). Only these rows are tasks: no other job of the
// app can be read through GET /tasks/{taskId} (task-route.ts).

import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/index.ts';
import type { Database, Transaction } from '../../db/database.ts';
import type { Jobs } from '../../jobs/create-jobs.ts';
import { databaseExecutor, transactionExecutor } from '../../jobs/embedded/database-executors.ts';
import type { SqlExecutor } from '../../jobs/embedded/sql-executor.ts';
import type { JobRecord, JobState } from '../../jobs/jobs-backend.ts';
import {
  claimKey,
  type IdempotencyKey,
  type StoredAnswer,
  storeAnswer,
} from '../idempotency-keys.ts';
import type { Operation } from '../operations.ts';
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

export interface TaskServiceOptions {
  db: Database;
  jobs: Jobs;
  /** The spec's base path (`/api`): Location is `<basePath>/tasks/<id>`. */
  basePath: string;
}

/** A started task; `replayed` when an earlier request with the same Idempotency-Key started it. */
export interface StartedTask {
  task: TaskRecord;
  replayed: boolean;
}

export interface TaskService {
  /**
   * Enqueues the operation's job and records the task; resolves to the task as it is now. With an
   * idempotency key, a retry starts nothing and resolves to the task the first request started.
   */
  start(
    operation: Operation,
    job: string,
    request: FastifyRequest,
    key?: IdempotencyKey,
  ): Promise<StartedTask>;
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
  const sql: SqlExecutor = databaseExecutor(db);

  async function read(id: string, operation: string, jobId: string) {
    const job = await jobs.backend.getJob(jobId);
    return job ? taskOf(id, operation, job) : undefined;
  }

  async function find(id: string) {
    if (!TASK_ID.test(id)) return undefined;
    const [row] = await sql.all(SELECT, [id]);
    if (!row) return undefined;
    const task = await read(id, String(row.operation), String(row.job_id));
    return task ? { task, subject: row.subject === null ? null : String(row.subject) } : undefined;
  }

  const locationOf = (id: string) => `${options.basePath}/tasks/${id}`;

  /**
   * A retry's answer: the task the first request started, as it is now; once its job is gone,
   * as the first answer showed it.
   */
  async function replay(stored: StoredAnswer): Promise<StartedTask> {
    const first = stored.body as TaskRecord;
    const found = await find(first.id);
    return { task: found?.task ?? first, replayed: true };
  }

  /**
   * With an idempotency key: the key's claim, the job (embedded) and its task commit together,
   * so of concurrent retries one starts the job and the others wait on the key and replay it.
   */
  async function startOnce(
    id: string,
    operation: Operation,
    key: IdempotencyKey,
    enqueue: (tx: Transaction) => Promise<string>,
  ): Promise<StartedTask> {
    const headers = { location: locationOf(id) };
    const started = await db.transaction(async (tx) => {
      const stored = await claimKey(tx, key);
      if (stored) return stored;
      await enqueue(tx);
      await storeAnswer(tx, key, 202, { headers, body: pendingTask(id, operation.name) });
      return undefined;
    });
    if (started) return replay(started);
    const found = await find(id);
    const task = found?.task ?? pendingTask(id, operation.name);
    // What a retry replays once the job is gone: the task as this first answer shows it.
    await db.transaction((tx) => storeAnswer(tx, key, 202, { headers, body: task }));
    return { task, replayed: false };
  }

  return {
    async start(operation, job, request, key) {
      const id = randomUUID();
      const subject = (request.principal as Principal | undefined)?.subject ?? null;
      const payload = payloadOf(request);
      const record = (executor: SqlExecutor, jobId: string) =>
        executor.run(INSERT, [id, jobId, operation.name, subject, Date.now()]);
      if (key) {
        return startOnce(id, operation, key, async (tx) => {
          // Redis cannot join the transaction: a Redis outage rolls the key's claim back.
          const options = jobs.backend.kind === 'embedded' ? { transaction: tx } : {};
          const enqueued = await jobs.enqueue(job, payload, options);
          await record(transactionExecutor(tx), enqueued.id);
          return enqueued.id;
        });
      }
      let jobId: string;
      if (jobs.backend.kind === 'embedded') {
        // The job and its task commit together, or neither does.
        jobId = await db.transaction(async (tx) => {
          const enqueued = await jobs.enqueue(job, payload, { transaction: tx });
          await record(transactionExecutor(tx), enqueued.id);
          return enqueued.id;
        });
      } else {
        // Redis cannot join the transaction: the job is on Redis (or the enqueue failed, a 503)
        // before its task is written. A job whose task could not be written runs unseen.
        jobId = (await jobs.enqueue(job, payload)).id;
        await record(sql, jobId);
      }
      const task = (await read(id, operation.name, jobId)) ?? pendingTask(id, operation.name);
      return { task, replayed: false };
    },
    find,
    locationOf,
  };
}

/** A task whose job cannot be read: never seen in practice (a job removed right after its enqueue). */
function pendingTask(id: string, operation: string): TaskRecord {
  return {
    id,
    operation,
    state: 'waiting',
    attemptsMade: 0,
    attempts: 1,
    createdAt: new Date().toISOString(),
  };
}
