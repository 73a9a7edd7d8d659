// The embedded backend: jobs are rows of the app's own database (SQLite or PostgreSQL), so they
// survive restarts with nothing to install, and an enqueue on a request's transaction commits or
// rolls back with it. Claiming and leases live in embedded-consumer.ts. Mirrors bullmq/bullmq-backend.ts.

import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { EnqueueResult } from '../job-types.ts';
import type { EnqueueRequest, JobsBackend, QueueCounts } from '../jobs-backend.ts';
import { JOB_STATES, type JobState } from '../jobs-backend.ts';
import { databaseExecutor, transactionExecutor } from './database-executors.ts';
import { createEmbeddedConsumer } from './embedded-consumer.ts';
import { JOB_COLUMNS, jobRecord } from './job-rows.ts';
import type { SqlExecutor } from './sql-executor.ts';

export interface EmbeddedBackendOptions {
  db: Database;
  /** How often an idle worker looks for due jobs, in ms. */
  pollInterval: number;
  /** How long a claimed job stays claimed without a heartbeat (the visibility timeout), in ms. */
  lease: number;
  log: FastifyBaseLogger;
}

const INSERT = `INSERT INTO specstack_jobs
  (id, name, job_key, debounce_key, state, payload, max_attempts, backoff, priority, run_at, created_at)
  VALUES (?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?)
  ON CONFLICT DO NOTHING RETURNING id`;
const BY_KEY = 'SELECT id FROM specstack_jobs WHERE name = ? AND job_key = ?';
const BY_DEBOUNCE =
  "SELECT id FROM specstack_jobs WHERE name = ? AND debounce_key = ? AND state = 'waiting'";

/** Where a state filter of the API points in the table (delayed is waiting with a future run_at). */
function stateFilter(state: JobState | undefined, now: number): { sql: string; params: unknown[] } {
  if (state === 'waiting') return { sql: "state = 'waiting' AND run_at <= ?", params: [now] };
  if (state === 'delayed') return { sql: "state = 'waiting' AND run_at > ?", params: [now] };
  if (state) return { sql: 'state = ?', params: [state] };
  return { sql: '1 = 1', params: [] };
}

export function createEmbeddedBackend(options: EmbeddedBackendOptions): JobsBackend {
  const { db } = options;
  const sql: SqlExecutor = databaseExecutor(db);
  // Local workers are woken on enqueue instead of waiting for their next poll.
  const wakers = new Set<() => void>();
  const wake = () => {
    for (const waker of wakers) waker();
  };

  async function insert(
    executor: SqlExecutor,
    name: string,
    payload: unknown,
    request: EnqueueRequest,
  ): Promise<EnqueueResult> {
    const now = Date.now();
    const delay = request.delay ?? request.debounce?.delay ?? 0;
    const params = [
      randomUUID(),
      name,
      request.jobId ?? null,
      request.debounce?.id ?? null,
      JSON.stringify(payload ?? null),
      request.attempts,
      request.backoff ? JSON.stringify(request.backoff) : null,
      request.priority ?? 0,
      now + delay,
      now,
    ];
    // A conflict on the debounce key can meet a job that started in between: then insert again.
    for (let tries = 0; tries < 3; tries += 1) {
      const [inserted] = await executor.all(INSERT, params);
      if (inserted) return { id: String(inserted.id), deduplicated: false };
      const [existing] = request.jobId
        ? await executor.all(BY_KEY, [name, request.jobId])
        : await executor.all(BY_DEBOUNCE, [name, request.debounce?.id ?? null]);
      if (existing) return { id: String(existing.id), deduplicated: true };
    }
    throw new Error(`could not enqueue ${name}: its key kept changing hands`);
  }

  return {
    kind: 'embedded',
    async enqueue(name, payload, request, transaction) {
      if (!transaction) {
        const result = await insert(sql, name, payload, request);
        wake();
        return result;
      }
      const result = await insert(transactionExecutor(transaction), name, payload, request);
      transaction.afterCommit(wake);
      return result;
    },
    consume(queues, run) {
      const consumer = createEmbeddedConsumer({
        sql,
        queues,
        run,
        pollInterval: options.pollInterval,
        lease: options.lease,
        log: options.log,
      });
      wakers.add(consumer.wake);
      const stop = consumer.stop;
      return {
        progress: consumer.progress,
        stop: async () => {
          wakers.delete(consumer.wake);
          await stop();
        },
      };
    },
    schedules: {
      async read(name) {
        const [row] = await sql.all(
          'SELECT cron, next_tick FROM specstack_job_schedules WHERE name = ?',
          [name],
        );
        return row ? { cron: String(row.cron), nextTick: Number(row.next_tick) } : undefined;
      },
      async advance(name, expected, next, cron) {
        const changed =
          expected === undefined
            ? await sql.run(
                'INSERT INTO specstack_job_schedules (name, cron, next_tick) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
                [name, cron, next],
              )
            : await sql.run(
                'UPDATE specstack_job_schedules SET next_tick = ?, cron = ? WHERE name = ? AND next_tick = ?',
                [next, cron, name, expected],
              );
        return changed > 0;
      },
    },
    async queues(names) {
      const now = Date.now();
      const rows = await sql.all(
        `SELECT name, CASE WHEN state = 'waiting' AND run_at > ? THEN 'delayed' ELSE state END AS state, COUNT(*) AS count
         FROM specstack_jobs GROUP BY 1, 2`,
        [now],
      );
      const paused = await sql.all('SELECT name FROM specstack_job_queues WHERE paused = 1', []);
      const pausedNames = new Set(paused.map((row) => String(row.name)));
      const all = [...new Set([...names, ...rows.map((row) => String(row.name))])].sort();
      return all.map((name): QueueCounts => {
        const counts = Object.fromEntries(
          JOB_STATES.map((state) => [state, 0]),
        ) as QueueCounts['counts'];
        for (const row of rows.filter((r) => r.name === name)) {
          counts[row.state as JobState] = Number(row.count);
        }
        return { name, paused: pausedNames.has(name), counts };
      });
    },
    async listJobs(query) {
      const now = Date.now();
      const filter = stateFilter(query.state, now);
      const rows = await sql.all(
        `SELECT ${JOB_COLUMNS} FROM specstack_jobs WHERE ${filter.sql} ${query.name ? 'AND name = ?' : ''}
         ORDER BY created_at DESC, id LIMIT ?`,
        [...filter.params, ...(query.name ? [query.name] : []), query.limit],
      );
      return rows.map((row) => jobRecord(row, now));
    },
    async getJob(id) {
      const [row] = await sql.all(`SELECT ${JOB_COLUMNS} FROM specstack_jobs WHERE id = ?`, [id]);
      return row ? jobRecord(row, Date.now()) : undefined;
    },
    async retry(id) {
      const changed = await sql.run(
        `UPDATE specstack_jobs SET state = 'waiting', attempts_made = 0, run_at = ?, finished_at = NULL,
           error = NULL, stack = NULL, result = NULL, progress = NULL
         WHERE id = ? AND state = 'failed'`,
        [Date.now(), id],
      );
      if (changed > 0) wake();
      return changed > 0;
    },
    async remove(id) {
      return (
        (await sql.run("DELETE FROM specstack_jobs WHERE id = ? AND state <> 'active'", [id])) > 0
      );
    },
    async setPaused(name, paused) {
      await sql.run(
        'INSERT INTO specstack_job_queues (name, paused) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET paused = excluded.paused',
        [name, paused ? 1 : 0],
      );
      if (!paused) wake();
    },
    ping: () => db.ping(),
    async close() {
      wakers.clear();
    },
  };
}
