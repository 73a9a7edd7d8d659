// Jobs per second through each backend: enqueue 10,000 no-op jobs, then complete them with one
// worker process (this one) running the queue at a concurrency of 50. Embedded on SQLite (a temp
// file), embedded on PostgreSQL and BullMQ on Redis when they answer. Prints the time of each phase.
//
//   npm run bench:jobs -- [--jobs 10000] [--concurrency 50]
//   (SPECSTACK_BENCH_POSTGRES_URL, SPECSTACK_BENCH_REDIS_URL override the local defaults)

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/open-database.ts';
import { createJobs, selectBackend } from '../src/jobs/create-jobs.ts';
import { jobRegistry } from '../src/jobs/load-jobs.ts';
import { applyFrameworkMigrations } from '../src/migrate/framework-migrations.ts';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '50' },
  },
});
const JOBS = Number(values.jobs);
const CONCURRENCY = Number(values.concurrency);
const POSTGRES_URL =
  process.env.SPECSTACK_BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.SPECSTACK_BENCH_REDIS_URL || 'redis://127.0.0.1:6379';
/** Enqueues in flight at once, as concurrent requests would issue them. */
const ENQUEUE_PARALLEL = 50;

interface Target {
  name: string;
  databaseUrl: string;
  redisUrl?: string;
  cleanup(): Promise<void>;
}

async function sqliteTarget(): Promise<Target> {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-bench-'));
  return {
    name: 'embedded (SQLite)',
    databaseUrl: `sqlite:${path.join(dir, 'jobs.db')}`,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function postgresTarget(): Promise<Target | string> {
  const name = `specstack_bench_${randomBytes(4).toString('hex')}`;
  try {
    await admin(`CREATE DATABASE "${name}"`);
  } catch (error) {
    return `PostgreSQL at ${POSTGRES_URL} unreachable (${(error as Error).message})`;
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    name: 'embedded (PostgreSQL)',
    databaseUrl: url.toString(),
    cleanup: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function redisTarget(): Promise<Target | string> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    return `Redis at ${REDIS_URL} unreachable (${(error as Error).message})`;
  } finally {
    redis.disconnect();
  }
  const sqlite = await sqliteTarget();
  return { ...sqlite, name: 'BullMQ (Redis)', redisUrl: REDIS_URL };
}

async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

async function measure(target: Target) {
  const prefix = `specstack-bench-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    env: {},
    overrides: {
      databaseUrl: target.databaseUrl,
      jobsPrefix: prefix,
      jobsPollInterval: 50,
      ...(target.redisUrl ? { redisUrl: target.redisUrl } : {}),
    },
  });
  const db = await openDatabase({ url: target.databaseUrl, model: { tables: [] } });
  await applyFrameworkMigrations(db);
  let done = 0;
  let finished!: () => void;
  const allDone = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const registry = jobRegistry([
    {
      name: 'noop',
      concurrency: CONCURRENCY,
      handler: () => {
        done += 1;
        if (done === JOBS) finished();
      },
    },
  ]);
  const jobs = createJobs({
    config,
    db,
    registry,
    log: pino({ level: 'warn' }),
    backend: await selectBackend(config),
  });
  try {
    const enqueueStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: ENQUEUE_PARALLEL }, async () => {
        while (next < JOBS) {
          next += 1;
          await jobs.enqueue('noop', { n: next });
        }
      }),
    );
    const enqueueMs = performance.now() - enqueueStart;
    const runStart = performance.now();
    const worker = jobs.startWorker();
    await allDone;
    const runMs = performance.now() - runStart;
    await worker.close(5000);
    const [counts] = await jobs.backend.queues(['noop']);
    return { enqueueMs, runMs, completed: counts!.counts.completed };
  } finally {
    await jobs.close();
    await db.close();
    if (target.redisUrl) await dropPrefix(prefix);
  }
}

const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);

console.log(
  `${JOBS} no-op jobs per backend, worker concurrency ${CONCURRENCY}, ${ENQUEUE_PARALLEL} enqueues in flight\n`,
);
for (const make of [sqliteTarget, postgresTarget, redisTarget]) {
  const target = await make();
  if (typeof target === 'string') {
    console.log(`skipped: ${target}`);
    continue;
  }
  try {
    const { enqueueMs, runMs, completed } = await measure(target);
    const total = enqueueMs + runMs;
    console.log(
      `${target.name.padEnd(22)} enqueue ${(enqueueMs / 1000).toFixed(2)} s (${rate(JOBS, enqueueMs)} jobs/s)  ` +
        `complete ${(runMs / 1000).toFixed(2)} s (${rate(JOBS, runMs)} jobs/s)  ` +
        `total ${(total / 1000).toFixed(2)} s (${rate(JOBS, total)} jobs/s)  completed ${completed}`,
    );
  } finally {
    await target.cleanup();
  }
}
