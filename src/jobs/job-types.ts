// What an app writes and sees: job modules in its jobs/ folder (defineJob), the context a handler
// runs with, and the client that enqueues. Both backends (embedded/, bullmq/) serve these types.

import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Database, Transaction } from '../db/database.ts';

export interface Backoff {
  type: 'exponential' | 'fixed';
  /** Milliseconds: the fixed wait, or the first wait of the exponential series (doubled each retry). */
  delay: number;
}

export interface JobSchedule<Payload> {
  /** A cron expression (5 fields, or 6 with seconds first), read by croner. */
  cron: string;
  /** IANA time zone the expression is read in (`Europe/Paris`); the server's own when absent. */
  timezone?: string;
  payload?: Payload;
  /** A tick missed while no process ran: run it once on the next start (default), or skip it. */
  missed?: 'run-once' | 'skip';
}

export interface JobDefinition<Payload = unknown, Result = unknown> {
  /** Defaults to the module's file name in jobs/ (jobs/welcome-email.ts -> 'welcome-email'). */
  name?: string;
  handler(context: JobContext<Payload>): Promise<Result> | Result;
  schedule?: JobSchedule<Payload>;
  /** Runs in all, the first included; default 3. */
  attempts?: number;
  /** Default: exponential from 1 s, with jitter. */
  backoff?: Backoff;
  /** Milliseconds; past it context.signal aborts and the attempt fails. */
  timeout?: number;
  /** Jobs of this queue one worker process runs at once; default 1. */
  concurrency?: number;
}

export interface EnqueueOptions {
  /** Milliseconds before the job may run. */
  delay?: number;
  attempts?: number;
  backoff?: Backoff;
  /** Makes enqueue idempotent: a second enqueue with this id adds nothing and returns the first job. */
  jobId?: string;
  /** Lower runs first (1 is the highest); jobs without one run before prioritized ones. */
  priority?: number;
  /**
   * Debounce: while a job of this queue with this id is still waiting or delayed (not started),
   * enqueue adds nothing and returns that job with deduplicated: true. Once it has started, a new
   * enqueue adds a new job.
   */
  debounce?: { id: string; delay: number };
  /**
   * Embedded backend: the job is written on this transaction and commits or rolls back with it.
   * BullMQ backend: the job is added to Redis once the transaction has committed (never if it rolls back).
   */
  transaction?: Transaction;
}

export interface EnqueueResult {
  id: string;
  deduplicated: boolean;
}

export interface JobsClient {
  enqueue(name: string, payload?: unknown, options?: EnqueueOptions): Promise<EnqueueResult>;
}

export interface JobContext<Payload = unknown> {
  id: string;
  name: string;
  payload: Payload;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  db: Database;
  config: Config;
  log: FastifyBaseLogger;
  jobs: JobsClient;
  /** Reports progress: a percentage, or any JSON object; shown by the dashboard and `jobs run --wait`. */
  progress(value: number | Record<string, unknown>): Promise<void>;
  /** Aborted on timeout, and on shutdown once the grace period is over. */
  signal: AbortSignal;
}

/** Declares a job module's default export; typing only, the definition is returned as is. */
export function defineJob<Payload = unknown, Result = unknown>(
  definition: JobDefinition<Payload, Result>,
): JobDefinition<Payload, Result> {
  return definition;
}
