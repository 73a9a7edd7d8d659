// Runs claimed jobs in one worker process, whatever the backend: builds each job's context, enforces
// its timeout, turns the handler's end into an outcome, and shuts down gracefully (stop claiming,
// let running jobs finish within the grace period, then abort and release the rest).

import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { JOB_TIMEOUT } from '../errors.ts';
import type { JobsClient } from './job-types.ts';
import type { ClaimedJob, Consumer, JobOutcome, JobsBackend } from './jobs-backend.ts';
import type { JobRegistry } from './load-jobs.ts';
import { DEFAULT_BACKOFF, retryDelay } from './retry-delay.ts';

export interface JobRunnerOptions {
  backend: JobsBackend;
  registry: JobRegistry;
  db: Database;
  config: Config;
  log: FastifyBaseLogger;
  jobs: JobsClient;
  /** Only these queues (default: every job of the registry). */
  queues?: readonly string[];
}

export interface JobRunner {
  /** Resolves once nothing runs: stops claiming, waits up to `grace` ms, then aborts and releases. */
  close(grace: number): Promise<void>;
  /** Jobs running now. */
  readonly running: number;
}

/** The abort reason of jobs cut short by shutdown: they go back to waiting, not failed. */
const SHUTDOWN = new Error('the worker is shutting down');

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

export function startJobRunner(options: JobRunnerOptions): JobRunner {
  const { backend, registry } = options;
  const running = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  let consumer: Consumer | undefined;

  async function attempt(job: ClaimedJob, controller: AbortController): Promise<unknown> {
    const definition = registry.get(job.name);
    if (!definition) throw new Error(`no job named ${job.name} is defined in this worker`);
    const log = options.log.child({ job: job.name, jobId: job.id, attempt: job.attempt });
    const work = Promise.resolve().then(() =>
      definition.handler({
        id: job.id,
        name: job.name,
        payload: job.payload,
        attempt: job.attempt,
        db: options.db,
        config: options.config,
        log,
        jobs: options.jobs,
        progress: (value) => consumer!.progress(job.id, value),
        signal: controller.signal,
      }),
    );
    // The attempt ends when the handler does, or when the signal aborts (timeout, shutdown) even
    // if the handler ignores it: its outcome is then the abort's reason.
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), {
        once: true,
      });
    });
    const timer =
      definition.timeout === undefined
        ? undefined
        : setTimeout(
            () =>
              controller.abort(
                JOB_TIMEOUT(`${job.name} ran past its timeout of ${definition.timeout} ms`),
              ),
            definition.timeout,
          );
    try {
      return await Promise.race([work, aborted]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function run(job: ClaimedJob): Promise<JobOutcome> {
    const controller = new AbortController();
    let settle!: (value: unknown) => void;
    const done = new Promise((resolve) => {
      settle = resolve;
    });
    running.set(job.id, { controller, done });
    try {
      const result = await attempt(job, controller);
      return { kind: 'completed', result };
    } catch (thrown) {
      if (thrown === SHUTDOWN) return { kind: 'released' };
      const error = asError(thrown);
      const definition = registry.get(job.name);
      const backoff = job.backoff ?? definition?.backoff ?? DEFAULT_BACKOFF;
      const delay = job.attempt < job.attempts ? retryDelay(backoff, job.attempt) : undefined;
      options.log.warn(
        { err: error, job: job.name, jobId: job.id, attempt: job.attempt },
        delay === undefined
          ? `job ${job.name} failed for good after ${job.attempt} attempt(s)`
          : `job ${job.name} failed; retrying in ${delay} ms`,
      );
      return { kind: 'failed', error, retryDelay: delay };
    } finally {
      running.delete(job.id);
      settle(undefined);
    }
  }

  const names = options.queues ?? [...registry.keys()];
  const queues = names.map((name) => ({
    name,
    concurrency: registry.get(name)!.concurrency ?? 1,
  }));
  consumer = queues.length > 0 ? backend.consume(queues, run) : undefined;

  return {
    get running() {
      return running.size;
    },
    async close(grace) {
      const stopped = consumer?.stop();
      const all = () => Promise.all([...running.values()].map((entry) => entry.done));
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<'expired'>((resolve) => {
        timer = setTimeout(() => resolve('expired'), grace);
      });
      const outcome = await Promise.race([all(), expired]);
      clearTimeout(timer);
      if (outcome === 'expired') {
        options.log.warn(
          `${running.size} job(s) still running after the ${grace} ms grace period: aborting them; they will run again`,
        );
        for (const entry of running.values()) entry.controller.abort(SHUTDOWN);
        await all();
      }
      await stopped;
    },
  };
}
