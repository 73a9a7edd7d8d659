// The one interface both job backends implement (embedded/ in the app's database, bullmq/ on
// Redis). The worker, the scheduler, the CLI and the dashboard see only this.

import type { EnqueueOptions, EnqueueResult } from './job-types.ts';

export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';
export const JOB_STATES: readonly JobState[] = [
  'waiting',
  'delayed',
  'active',
  'completed',
  'failed',
];

/** A job as the CLI and the dashboard show it. Times are ISO 8601. */
export interface JobRecord {
  id: string;
  name: string;
  state: JobState;
  payload: unknown;
  result?: unknown;
  progress?: unknown;
  error?: string;
  stack?: string;
  /** Attempts started so far, and allowed in all. */
  attemptsMade: number;
  attempts: number;
  priority: number;
  createdAt: string;
  runAt?: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface QueueCounts {
  name: string;
  paused: boolean;
  counts: Record<JobState, number>;
}

/** What a backend needs to know of each job to store it: attempts and backoff defaults. */
export interface EnqueueRequest extends Omit<EnqueueOptions, 'transaction'> {
  attempts: number;
}

/** A job a worker has claimed: it holds it until complete/fail/release. */
export interface ClaimedJob {
  id: string;
  name: string;
  payload: unknown;
  /** 1-based number of this attempt. */
  attempt: number;
  attempts: number;
  /** The backoff given at enqueue, when one was. */
  backoff?: EnqueueOptions['backoff'];
}

/** The schedule bookkeeping: compare-and-set on the next tick is what makes a tick fire once. */
export interface ScheduleStore {
  /** The stored next tick (ms) and cron of a schedule, or undefined when it has none yet. */
  read(name: string): Promise<{ nextTick: number; cron: string } | undefined>;
  /** Sets the next tick only if it is still `expected` (undefined: only if none is stored). */
  advance(name: string, expected: number | undefined, next: number, cron: string): Promise<boolean>;
}

export interface JobsBackend {
  readonly kind: 'embedded' | 'bullmq';
  enqueue(
    name: string,
    payload: unknown,
    request: EnqueueRequest,
    transaction?: EnqueueOptions['transaction'],
  ): Promise<EnqueueResult>;
  /** Starts pulling jobs of the named queues; `run` is called for each claimed job. */
  consume(
    queues: readonly ConsumedQueue[],
    run: (job: ClaimedJob) => Promise<JobOutcome>,
  ): Consumer;
  readonly schedules: ScheduleStore;
  queues(names: readonly string[]): Promise<QueueCounts[]>;
  listJobs(query: { name?: string; state?: JobState; limit: number }): Promise<JobRecord[]>;
  getJob(id: string): Promise<JobRecord | undefined>;
  /** A failed job runs again with fresh attempts; false when there is no failed job with that id. */
  retry(id: string): Promise<boolean>;
  /** Removes a job that is not running; false when there is none. */
  remove(id: string): Promise<boolean>;
  setPaused(name: string, paused: boolean): Promise<void>;
  /** Rejects when the backend's store is unreachable (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface ConsumedQueue {
  name: string;
  concurrency: number;
}

/** How an attempt ended, as the runner reports it to the backend. */
export type JobOutcome =
  | { kind: 'completed'; result: unknown }
  | { kind: 'failed'; error: Error; retryDelay: number | undefined }
  /** Shutdown past its grace period: the job goes back to waiting, this attempt not counted. */
  | { kind: 'released' };

export interface Consumer {
  /** Reports progress of a claimed job. */
  progress(id: string, value: unknown): Promise<void>;
  /** Stops claiming; resolves when the backend no longer hands out jobs. */
  stop(): Promise<void>;
}
