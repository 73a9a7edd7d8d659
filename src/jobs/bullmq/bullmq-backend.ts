// The BullMQ backend: one BullMQ queue per job name on Redis, so workers on many machines share
// the work. Same API and semantics as embedded/embedded-backend.ts; the differences (enqueue on a
// transaction happens after its commit) are in docs/jobs.md. A job's id is `<name>/<BullMQ id>`.

import { randomUUID } from 'node:crypto';
import { type Job, type JobsOptions, Queue } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Database } from '../../db/database.ts';
import { isSpecstackError, JOBS_UNAVAILABLE } from '../../errors.ts';
import type { EnqueueResult } from '../job-types.ts';
import {
  type EnqueueRequest,
  JOB_STATES,
  type JobRecord,
  type JobState,
  type JobsBackend,
  type QueueCounts,
} from '../jobs-backend.ts';
import type { JobRegistry } from '../load-jobs.ts';
import { DEFAULT_BACKOFF } from '../retry-delay.ts';
import { createBullmqConsumer } from './bullmq-consumer.ts';
import { createOutbox, type OutboxEntry, remainingDelay } from './bullmq-outbox.ts';
import { bullmqScheduleStore } from './bullmq-schedules.ts';
import { createRedisConnection } from './redis-connection.ts';

export interface BullmqBackendOptions {
  url: string;
  prefix: string;
  log: FastifyBaseLogger;
  registry: JobRegistry;
  /** How long a worker's lock on a job lasts without renewal (its visibility timeout), in ms. */
  lease: number;
  /** The app's database: jobs enqueued on its transactions wait in its outbox (bullmq-outbox.ts). */
  db: Database;
  /** How often the outbox is relayed to Redis, in ms. */
  relayInterval?: number;
}

/** Completed and failed jobs kept per queue for the dashboard (and for jobId idempotence). */
const KEEP = { count: 10_000 };

/** BullMQ refuses ids that are integers or contain ':'; those are encoded, others kept readable. */
export function bullJobId(jobId: string): string {
  return /^[^:]+$/.test(jobId) && `${Number.parseInt(jobId, 10)}` !== jobId
    ? jobId
    : `k-${Buffer.from(jobId).toString('base64url')}`;
}

export function splitId(id: string): { name: string; jobId: string } | undefined {
  const slash = id.indexOf('/');
  return slash > 0 ? { name: id.slice(0, slash), jobId: id.slice(slash + 1) } : undefined;
}

const BULL_STATES: Record<string, JobState> = {
  waiting: 'waiting',
  prioritized: 'waiting',
  paused: 'waiting',
  'waiting-children': 'waiting',
  delayed: 'delayed',
  active: 'active',
  completed: 'completed',
  failed: 'failed',
};

function unavailable(error: unknown): Error {
  return JOBS_UNAVAILABLE(`the job queue (Redis) is unreachable: ${(error as Error).message}`, {
    cause: error,
  });
}

/** How long a call waits for Redis to be (re)connected before it fails as unavailable. */
const CONNECT_WAIT = 2000;
/** How long a call may take once sent before it fails as unavailable (its effect is then unknown). */
const CALL_TIMEOUT = 10_000;

/** How often jobs left in the outbox (Redis was down at commit) are added to Redis. */
const RELAY_INTERVAL = 1000;
/** Entries relayed per pass; the next pass takes the rest. */
const RELAY_BATCH = 200;

/** Calls waiting for a connection share one wait (and one listener). */
const pendingReady = new WeakMap<Redis, Promise<void>>();

/** Redis, when connected; BullMQ would otherwise hold a call until Redis comes back. */
function whenReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  let pending = pendingReady.get(redis);
  if (!pending) {
    pending = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        redis.off('ready', onReady);
        reject(new Error(`not connected (${redis.status})`));
      }, CONNECT_WAIT);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      redis.once('ready', onReady);
    }).finally(() => pendingReady.delete(redis));
    pendingReady.set(redis, pending);
  }
  return pending;
}

async function withRedis<T>(redis: Redis, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await whenReady(redis);
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer in time')), CALL_TIMEOUT);
      }),
    ]);
  } catch (error) {
    throw isSpecstackError(error) ? error : unavailable(error);
  } finally {
    clearTimeout(timer);
  }
}

/** `state` is read before the job's data, so a finished state never comes with stale data. */
function record(name: string, job: Job, bullState: string): JobRecord {
  const state = BULL_STATES[bullState] ?? 'waiting';
  const result: JobRecord = {
    id: `${name}/${job.id}`,
    name,
    state,
    payload: job.data,
    // Attempts ended, and the running one.
    attemptsMade: job.attemptsMade + (state === 'active' ? 1 : 0),
    attempts: job.opts.attempts ?? 1,
    priority: job.opts.priority ?? 0,
    createdAt: new Date(job.timestamp).toISOString(),
    runAt: new Date(job.timestamp + (job.delay ?? 0)).toISOString(),
  };
  if (job.returnvalue !== undefined && job.returnvalue !== null) result.result = job.returnvalue;
  if (job.progress !== undefined && job.progress !== 0) result.progress = job.progress;
  if (job.failedReason) result.error = job.failedReason;
  if (job.stacktrace?.length) result.stack = job.stacktrace.at(-1);
  if (job.processedOn) result.startedAt = new Date(job.processedOn).toISOString();
  if (job.finishedOn) result.finishedAt = new Date(job.finishedOn).toISOString();
  return result;
}

export function createBullmqBackend(options: BullmqBackendOptions): JobsBackend {
  const { prefix, registry } = options;
  // Enqueue fails fast while Redis is down (no offline queue): an acknowledged job is on Redis.
  const producer = createRedisConnection(options.url, options.log, { failFast: true });
  const queues = new Map<string, Queue>();
  const queueOf = (name: string): Queue => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: producer, prefix });
      queue.on('error', () => {
        // Connection errors are logged once per outage by the connection itself.
      });
      queues.set(name, queue);
    }
    return queue;
  };

  function jobOptions(name: string, request: EnqueueRequest, id: string): JobsOptions {
    const backoff = request.backoff ?? registry.get(name)?.backoff ?? DEFAULT_BACKOFF;
    return {
      jobId: id,
      attempts: request.attempts,
      backoff: { type: `specstack-${backoff.type}`, delay: backoff.delay },
      removeOnComplete: KEEP,
      removeOnFail: KEEP,
      ...(request.delay || request.debounce
        ? { delay: request.delay ?? request.debounce!.delay }
        : {}),
      ...(request.priority ? { priority: request.priority } : {}),
      // Simple mode: deduplicated until the job ends; the consumer drops the key when it starts.
      ...(request.debounce ? { deduplication: { id: request.debounce.id } } : {}),
    };
  }

  function add(name: string, payload: unknown, request: EnqueueRequest, id: string) {
    const queue = queueOf(name);
    return withRedis(producer, async () => {
      if (request.jobId) {
        const existing = await queue.getJob(id);
        if (existing) return { id: `${name}/${existing.id}`, deduplicated: true };
      }
      if (request.debounce) {
        const existing = await queue.getDeduplicationJobId(request.debounce.id);
        if (existing) return { id: `${name}/${existing}`, deduplicated: true };
      }
      const job = await queue.add(name, payload, jobOptions(name, request, id));
      return { id: `${name}/${job.id}`, deduplicated: job.id !== id };
    });
  }

  async function find(id: string): Promise<{ name: string; job: Job; state: string } | undefined> {
    const parts = splitId(id);
    if (!parts || !registry.has(parts.name)) return undefined;
    const queue = queueOf(parts.name);
    const state = await queue.getJobState(parts.jobId);
    const job = await queue.getJob(parts.jobId);
    return job && state !== 'unknown' ? { name: parts.name, job, state } : undefined;
  }

  const consumers = new Set<{ stop(): Promise<void> }>();

  // Jobs of committed transactions: added to Redis at commit, or by the relay once Redis is back.
  const outbox = createOutbox(options.db);
  const relayEntry = async (entry: OutboxEntry) => {
    await add(entry.name, entry.payload, remainingDelay(entry, Date.now()), entry.id);
    await outbox.remove(entry);
  };
  let relaying: Promise<void> | undefined;
  let closed = false;
  let relayFailing = false;
  /** Adds what the outbox holds to Redis, oldest first; one pass at a time. */
  const relay = () => {
    if (relaying || closed || producer.status !== 'ready') return relaying;
    relaying = (async () => {
      try {
        // Entries of the last moment are being added by their own commit.
        for (;;) {
          const entries = await outbox.pending(Date.now() - RELAY_INTERVAL, RELAY_BATCH);
          for (const entry of entries) await relayEntry(entry);
          if (entries.length > 0) {
            options.log.info(`added ${entries.length} job(s) from the outbox to Redis`);
          }
          if (entries.length < RELAY_BATCH || closed) break;
        }
        relayFailing = false;
      } catch (error) {
        // Redis or the database went away again: the entries stay for the next pass.
        if (!relayFailing) options.log.warn({ err: error }, 'relaying the job outbox failed');
        relayFailing = true;
      } finally {
        relaying = undefined;
      }
    })();
    return relaying;
  };
  const relayTimer = setInterval(relay, options.relayInterval ?? RELAY_INTERVAL);
  relayTimer.unref();
  producer.on('ready', () => void relay());

  const backend: JobsBackend = {
    kind: 'bullmq',
    async enqueue(name, payload, request, transaction): Promise<EnqueueResult> {
      const id = request.jobId ? bullJobId(request.jobId) : randomUUID();
      if (!transaction) return add(name, payload, request, id);
      // Redis cannot join the SQL transaction: the job is written to the outbox on it, and
      // added to Redis once it has committed; if Redis is down then, the relay adds it later.
      const entry: OutboxEntry = { name, id, payload, request, createdAt: Date.now() };
      await outbox.write(transaction, entry);
      transaction.afterCommit(() => {
        relayEntry(entry).catch((error) =>
          options.log.warn(
            { err: error, job: name, jobId: `${name}/${id}` },
            'a job enqueued on a committed transaction waits in the outbox until Redis is reachable',
          ),
        );
      });
      return { id: `${name}/${id}`, deduplicated: false };
    },
    consume(consumed, run) {
      const consumer = createBullmqConsumer({
        url: options.url,
        prefix,
        log: options.log,
        lease: options.lease,
        queues: consumed,
        run,
        queueOf,
      });
      consumers.add(consumer);
      return {
        progress: consumer.progress,
        stop: async () => {
          await consumer.stop();
          consumers.delete(consumer);
        },
      };
    },
    schedules: guarded(producer, bullmqScheduleStore(producer, prefix), ['read', 'advance']),
    async queues(names) {
      const all = [...new Set([...names, ...registry.keys()])].sort();
      return Promise.all(
        all.map(async (name): Promise<QueueCounts> => {
          const queue = queueOf(name);
          const raw = await queue.getJobCounts(...(Object.keys(BULL_STATES) as never[]));
          const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as QueueCounts['counts'];
          for (const [state, count] of Object.entries(raw)) {
            const mapped = BULL_STATES[state];
            if (mapped) counts[mapped] += count;
          }
          return { name, paused: await queue.isPaused(), counts };
        }),
      );
    },
    async listJobs(query) {
      const names = query.name ? [query.name] : [...registry.keys()];
      const types = query.state
        ? Object.keys(BULL_STATES).filter((bull) => BULL_STATES[bull] === query.state)
        : Object.keys(BULL_STATES);
      const found: { name: string; job: Job }[] = [];
      for (const name of names) {
        const jobs = await queueOf(name).getJobs(types as never, 0, query.limit - 1, false);
        for (const job of jobs) if (job) found.push({ name, job });
      }
      found.sort((a, b) => b.job.timestamp - a.job.timestamp);
      return Promise.all(
        found
          .slice(0, query.limit)
          .map(async ({ name, job }) => record(name, job, await job.getState())),
      );
    },
    async getJob(id) {
      const found = await find(id);
      return found ? record(found.name, found.job, found.state) : undefined;
    },
    async retry(id) {
      const found = await find(id);
      if (found?.state !== 'failed') return false;
      await found.job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    },
    async remove(id) {
      const found = await find(id);
      if (!found || found.state === 'active') return false;
      await found.job.remove();
      return true;
    },
    async setPaused(name, paused) {
      if (paused) await queueOf(name).pause();
      else await queueOf(name).resume();
    },
    async ping() {
      try {
        await producer.ping();
      } catch (error) {
        throw unavailable(error);
      }
    },
    async close() {
      closed = true;
      clearInterval(relayTimer);
      await relaying;
      for (const consumer of consumers) await consumer.stop();
      // The queues share the producer's connection, so it is ended after them.
      await Promise.all([...queues.values()].map((queue) => queue.close().catch(() => {})));
      producer.disconnect();
    },
  };
  return guarded(producer, backend, [
    'queues',
    'listJobs',
    'getJob',
    'retry',
    'remove',
    'setPaused',
  ]);
}

/** The object with the named methods failing fast (JOBS_UNAVAILABLE) while Redis is down. */
function guarded<T extends object>(redis: Redis, target: T, methods: readonly (keyof T)[]): T {
  const wrapped = { ...target };
  for (const method of methods) {
    const original = target[method] as (...args: unknown[]) => Promise<unknown>;
    (wrapped as Record<keyof T, unknown>)[method] = (...args: unknown[]) =>
      withRedis(redis, () => original.apply(target, args));
  }
  return wrapped;
}
