// One worker process's BullMQ workers: one per consumed queue with the job's concurrency. BullMQ
// holds a lock per active job and renews it; a job whose worker died is found stalled and moved
// back to waiting once the lock expires. Mirrors embedded/embedded-consumer.ts.

import { DelayedError, type Job, type MinimalJob, type Queue, Worker } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Backoff } from '../job-types.ts';
import type { ClaimedJob, ConsumedQueue, JobOutcome } from '../jobs-backend.ts';
import { retryDelay } from '../retry-delay.ts';
import { createRedisConnection } from './redis-connection.ts';

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
  // Each worker blocks on a copy of the connection BullMQ makes with duplicate(). BullMQ's graceful
  // close waits for every one of them to have connected once, so a shutdown during an outage that
  // began before they did needs to know which have (see stop()).
  const connectedOnce = new WeakSet<Redis>();
  const clients: Redis[] = [];
  const track = (client: Redis) => {
    clients.push(client);
    if (client.status === 'ready') connectedOnce.add(client);
    else client.once('ready', () => connectedOnce.add(client));
    return client;
  };
  track(connection);
  const duplicate = connection.duplicate.bind(connection);
  connection.duplicate = (override) => track(duplicate(override));
  const running = new Map<string, Job>();
  // The runs in progress, settled or not, so that a forced close can wait for them first.
  const runs = new Set<Promise<unknown>>();

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
          const run = options.run({
            id,
            name: queue.name,
            payload: job.data,
            attempt: job.attemptsMade + 1,
            attempts: job.opts.attempts ?? 1,
          });
          runs.add(run);
          const outcome = await run.finally(() => runs.delete(run));
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
      if (clients.every((client) => connectedOnce.has(client))) {
        // close() stops fetching and waits for active jobs (the runner ends them within its grace)
        // and for their outcomes to reach Redis.
        await Promise.all(workers.map((worker) => worker.close()));
      } else {
        // A worker that never reached Redis would wait for it forever in close(); its outcomes
        // could not be written anyway. The runs still end within the runner's grace first.
        await Promise.allSettled([...runs]);
        await Promise.all(workers.map((worker) => worker.close(true)));
      }
      connection.disconnect();
    },
  };
}
