// One worker process's pull loop on the embedded backend. A claim is one UPDATE that marks due
// rows active with this worker's lease (FOR UPDATE SKIP LOCKED on PostgreSQL; on SQLite the single
// statement runs under the database's write lock), so no two workers ever get the same job. A
// heartbeat renews the lease of running jobs; a lease that expires (the worker died) makes the
// job claimable again, or failed when it has no attempts left.

import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { JOB_LEASE_EXPIRED } from '../../errors.ts';
import type { ClaimedJob, ConsumedQueue, JobOutcome } from '../jobs-backend.ts';
import { parseJson } from './job-rows.ts';
import type { SqlExecutor, SqlRow } from './sql-executor.ts';

export interface EmbeddedConsumerOptions {
  sql: SqlExecutor;
  queues: readonly ConsumedQueue[];
  run(job: ClaimedJob): Promise<JobOutcome>;
  pollInterval: number;
  lease: number;
  log: FastifyBaseLogger;
}

function claimStatement(dialect: SqlExecutor['dialect']): string {
  return `UPDATE specstack_jobs
  SET state = 'active', locked_by = ?, locked_until = ?, attempts_made = attempts_made + 1,
      started_at = ?, debounce_key = NULL, progress = NULL
  WHERE id IN (
    SELECT id FROM specstack_jobs
    WHERE name = ?
      AND ((state = 'waiting' AND run_at <= ?)
        OR (state = 'active' AND locked_until < ? AND attempts_made < max_attempts))
      AND NOT EXISTS (SELECT 1 FROM specstack_job_queues q WHERE q.name = specstack_jobs.name AND q.paused = 1)
    ORDER BY priority, run_at, created_at
    LIMIT ?${dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : ''}
  )
  RETURNING id, name, payload, attempts_made, max_attempts, backoff`;
}

const EXPIRE = `UPDATE specstack_jobs
  SET state = 'failed', finished_at = ?, locked_by = NULL, locked_until = NULL, error = ?, stack = NULL
  WHERE state = 'active' AND locked_until < ? AND attempts_made >= max_attempts`;
const HEARTBEAT =
  "UPDATE specstack_jobs SET locked_until = ? WHERE locked_by = ? AND state = 'active'";
const COMPLETE = `UPDATE specstack_jobs
  SET state = 'completed', result = ?, finished_at = ?, locked_by = NULL, locked_until = NULL, error = NULL, stack = NULL
  WHERE id = ? AND locked_by = ? AND state = 'active'`;
const RETRY_LATER = `UPDATE specstack_jobs
  SET state = 'waiting', run_at = ?, error = ?, stack = ?, locked_by = NULL, locked_until = NULL
  WHERE id = ? AND locked_by = ? AND state = 'active'`;
const FAIL = `UPDATE specstack_jobs
  SET state = 'failed', finished_at = ?, error = ?, stack = ?, locked_by = NULL, locked_until = NULL
  WHERE id = ? AND locked_by = ? AND state = 'active'`;
const RELEASE = `UPDATE specstack_jobs
  SET state = 'waiting', run_at = ?, attempts_made = attempts_made - 1, locked_by = NULL, locked_until = NULL
  WHERE id = ? AND locked_by = ? AND state = 'active'`;
const PROGRESS =
  "UPDATE specstack_jobs SET progress = ? WHERE id = ? AND locked_by = ? AND state = 'active'";

function claimed(row: SqlRow): ClaimedJob {
  const job: ClaimedJob = {
    id: String(row.id),
    name: String(row.name),
    payload: parseJson(row.payload),
    attempt: Number(row.attempts_made),
    attempts: Number(row.max_attempts),
  };
  if (typeof row.backoff === 'string')
    job.backoff = parseJson(row.backoff) as ClaimedJob['backoff'];
  return job;
}

export function createEmbeddedConsumer(options: EmbeddedConsumerOptions) {
  const { sql, queues } = options;
  const workerId = randomUUID();
  const claim = claimStatement(sql.dialect);
  const active = new Map<string, number>(queues.map((queue) => [queue.name, 0]));
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let polling: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let drained: (() => void) | undefined;

  async function persist(job: ClaimedJob, outcome: JobOutcome): Promise<void> {
    const now = Date.now();
    if (outcome.kind === 'completed') {
      const result = outcome.result === undefined ? null : JSON.stringify(outcome.result);
      await sql.run(COMPLETE, [result, now, job.id, workerId]);
    } else if (outcome.kind === 'released') {
      await sql.run(RELEASE, [now, job.id, workerId]);
    } else {
      const message = outcome.error.message || String(outcome.error);
      const stack = outcome.error.stack ?? null;
      if (outcome.retryDelay !== undefined) {
        await sql.run(RETRY_LATER, [now + outcome.retryDelay, message, stack, job.id, workerId]);
      } else {
        await sql.run(FAIL, [now, message, stack, job.id, workerId]);
      }
    }
  }

  function start(queue: string, job: ClaimedJob): void {
    active.set(queue, active.get(queue)! + 1);
    const done = options
      .run(job)
      .then((outcome) => persist(job, outcome))
      .catch((error) => {
        // The row keeps its lease: once it expires the job is claimed again, so nothing is lost.
        options.log.error({ err: error, jobId: job.id }, 'could not record the end of a job');
      })
      .finally(() => {
        active.set(queue, active.get(queue)! - 1);
        inFlight.delete(done);
        if (stopping && inFlight.size === 0) drained?.();
        else wake();
      });
    inFlight.add(done);
  }

  async function pollOnce(): Promise<boolean> {
    const now = Date.now();
    await sql.run(EXPIRE, [now, JOB_LEASE_EXPIRED().message, now]);
    let claimedAny = false;
    for (const queue of queues) {
      if (stopping) break;
      const free = queue.concurrency - active.get(queue.name)!;
      if (free <= 0) continue;
      const rows = await sql.all(claim, [
        workerId,
        Date.now() + options.lease,
        now,
        queue.name,
        now,
        now,
        free,
      ]);
      for (const row of rows) start(queue.name, claimed(row));
      claimedAny ||= rows.length === free;
    }
    return claimedAny;
  }

  function schedule(delay: number): void {
    clearTimeout(timer);
    if (!stopping) timer = setTimeout(wake, delay);
  }

  function wake(): void {
    if (stopping) return;
    if (polling) {
      again = true;
      return;
    }
    polling = pollOnce()
      .then((full) => {
        // A full batch means more may be due: look again at once (when a slot frees).
        schedule(full || again ? 0 : options.pollInterval);
      })
      .catch((error) => {
        options.log.error({ err: error }, 'polling for jobs failed; trying again');
        schedule(options.pollInterval);
      })
      .finally(() => {
        polling = undefined;
        again = false;
      });
  }

  const heartbeat = setInterval(
    () => {
      if (inFlight.size === 0) return;
      sql.run(HEARTBEAT, [Date.now() + options.lease, workerId]).catch((error) => {
        options.log.error({ err: error }, 'renewing job leases failed');
      });
    },
    Math.max(50, Math.floor(options.lease / 3)),
  );
  heartbeat.unref();
  setImmediate(wake);

  return {
    wake,
    async progress(id: string, value: unknown) {
      await sql.run(PROGRESS, [JSON.stringify(value), id, workerId]);
    },
    /** Stops claiming; resolves once every claimed job has ended and been recorded. */
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await polling;
      if (inFlight.size > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
        });
      }
      clearInterval(heartbeat);
    },
  };
}
