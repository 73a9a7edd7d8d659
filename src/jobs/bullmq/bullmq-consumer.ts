// One worker process's BullMQ workers: one per consumed queue with the job's concurrency. BullMQ
// holds a lock per active job and renews it; a job whose worker died is found stalled and moved
// back to waiting once the lock expires. Mirrors embedded/embedded-consumer.ts.

import { DelayedError, type Job, type MinimalJob, type Queue, Worker } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Backoff } from '../job-types.ts';
import type { ClaimedJob, ConsumedQueue, JobOutcome } from '../jobs-backend.ts';
import { retryDelay } from '../retry-delay.ts';
import { createRedisConnection, endUnconnected } from './redis-connection.ts';

export interface BullmqConsumerOptions {
  url: string;
  prefix: string;
  log: FastifyBaseLogger;
  lease: number;
  queues: readonly ConsumedQueue[];
  run(job: ClaimedJob): Promise<JobOutcome>;
  queueOf(name: string): Queue;
}

/** The backoff types specstack stores on BullMQ jobs, computed with its own jitter. */
function backoffStrategy(
  attemptsMade: number,
  type?: string,
  _error?: Error,
  job?: MinimalJob,
): number {
  const delay = (job?.opts.backoff as { delay?: number } | undefined)?.delay ?? 1000;
  const kind: Backoff['type'] = type === 'specstack-fixed' ? 'fixed' : 'exponential';
  return retryDelay({ type: kind, delay }, attemptsMade);
}

export function createBullmqConsumer(options: BullmqConsumerOptions) {
  const connection = createRedisConnection(options.url, options.log, { failFast: false });
  // Each worker blocks on a copy of the connection BullMQ makes with duplicate(); kept here so a
  // shutdown while Redis is down can end them first (endUnconnected).
  const clients: Redis[] = [connection];
  const duplicate = connection.duplicate.bind(connection);
  connection.duplicate = (override) => {
    const copy = duplicate(override);
    clients.push(copy);
    return copy;
  };
  const running = new Map<string, Job>();

  const workers = options.queues.map((queue) => {
    const worker = new Worker(
      queue.name,
      async (job, token) => {
        const id = `${queue.name}/${job.id}`;
        const debounce = job.opts.deduplication?.id;
        // Debounce holds only until the job starts: a later enqueue adds a new job.
        if (debounce) await options.queueOf(queue.name).removeDeduplicationKey(debounce);
        running.set(id, job);
        try {
          const outcome = await options.run({
            id,
            name: queue.name,
            payload: job.data,
            attempt: job.attemptsMade + 1,
            attempts: job.opts.attempts ?? 1,
          });
          if (outcome.kind === 'completed') return outcome.result;
          if (outcome.kind === 'failed') throw outcome.error;
          // Shutdown past its grace period: back to waiting, this attempt not counted.
          await job.moveToDelayed(Date.now(), token);
          throw new DelayedError();
        } finally {
          running.delete(id);
        }
      },
      {
        connection,
        prefix: options.prefix,
        concurrency: queue.concurrency,
        lockDuration: options.lease,
        stalledInterval: options.lease,
        maxStalledCount: 1,
        settings: { backoffStrategy },
      },
    );
    worker.on('error', (error) => {
      options.log.debug({ err: error, queue: queue.name }, 'BullMQ worker error');
    });
    return worker;
  });

  return {
    async progress(id: string, value: unknown) {
      await running.get(id)?.updateProgress(value as number | object);
    },
    async stop() {
      await endUnconnected(clients);
      // close() stops fetching and waits for active jobs (the runner ends them within its grace).
      await Promise.all(workers.map((worker) => worker.close()));
      connection.disconnect();
    },
  };
}
