// An app's jobs: its registry over the backend the config picks (BullMQ when REDIS_URL is set,
// else the embedded one in the app's database), the client handlers enqueue with, and the worker
// (runner + scheduler) that `specstack start` and `specstack worker` run.

import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { JOB_UNKNOWN } from '../errors.ts';
import { createEmbeddedBackend } from './embedded/embedded-backend.ts';
import { startJobRunner } from './job-runner.ts';
import type { EnqueueOptions, EnqueueResult, JobsClient } from './job-types.ts';
import type { JobsBackend } from './jobs-backend.ts';
import type { JobRegistry } from './load-jobs.ts';
import { DEFAULT_ATTEMPTS } from './retry-delay.ts';
import { listSchedules, type ScheduleInfo, startScheduler } from './scheduler.ts';

export interface Jobs extends JobsClient {
  readonly backend: JobsBackend;
  readonly registry: JobRegistry;
  /** Runs jobs and fires schedules in this process until the returned handle is closed. */
  startWorker(options?: { queues?: readonly string[] }): JobWorker;
  schedules(): ScheduleInfo[];
  /** Closes the backend's connections (workers are closed by their own handles). */
  close(): Promise<void>;
}

export interface JobWorker {
  /** Stops claiming, lets running jobs finish within `grace` ms, then releases the rest. */
  close(grace: number): Promise<void>;
}

export interface CreateJobsOptions {
  config: Config;
  db: Database;
  registry: JobRegistry;
  log: FastifyBaseLogger;
}

export type BackendFactory = (options: CreateJobsOptions) => JobsBackend;

/**
 * The backend the config selects. BullMQ and its Redis client are imported only when REDIS_URL
 * is set: commands that never touch Redis should not pay for loading them.
 */
export async function selectBackend(config: Config): Promise<BackendFactory> {
  if (config.redisUrl) {
    const url = config.redisUrl;
    const { createBullmqBackend } = await import('./bullmq/bullmq-backend.ts');
    return (options) =>
      createBullmqBackend({
        url,
        prefix: config.jobsPrefix,
        log: options.log,
        registry: options.registry,
        lease: config.jobsLease,
        db: options.db,
      });
  }
  return (options) =>
    createEmbeddedBackend({
      db: options.db,
      pollInterval: config.jobsPollInterval,
      lease: config.jobsLease,
      log: options.log,
    });
}

export function createJobs(options: CreateJobsOptions & { backend: BackendFactory }): Jobs {
  const { registry, config, log } = options;
  const backend = options.backend(options);

  function enqueue(
    name: string,
    payload?: unknown,
    enqueueOptions: EnqueueOptions = {},
  ): Promise<EnqueueResult> {
    const definition = registry.get(name);
    if (!definition) {
      return Promise.reject(
        JOB_UNKNOWN(
          `no job named ${JSON.stringify(name)} (defined: ${[...registry.keys()].join(', ') || 'none'})`,
        ),
      );
    }
    const { transaction, ...rest } = enqueueOptions;
    return backend.enqueue(
      name,
      payload ?? null,
      { ...rest, attempts: rest.attempts ?? definition.attempts ?? DEFAULT_ATTEMPTS },
      transaction,
    );
  }

  const client: JobsClient = { enqueue };
  return {
    backend,
    registry,
    enqueue,
    schedules: () => listSchedules(registry),
    startWorker(workerOptions = {}) {
      const runner = startJobRunner({
        backend,
        registry,
        db: options.db,
        config,
        log,
        jobs: client,
        ...(workerOptions.queues ? { queues: workerOptions.queues } : {}),
      });
      const scheduler = startScheduler({
        registry,
        store: backend.schedules,
        enqueue,
        log,
        interval: config.jobsScheduleInterval,
      });
      return {
        async close(grace) {
          await scheduler.stop();
          await runner.close(grace);
        },
      };
    },
    close: () => backend.close(),
  };
}
