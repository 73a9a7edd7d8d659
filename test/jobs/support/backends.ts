// Runs one jobs suite on every backend: embedded on a fresh SQLite file, embedded on a fresh
// PostgreSQL database, and BullMQ on Redis under a prefix of its own (so parallel files never
// meet). Redis comes from SPECSTACK_TEST_REDIS_URL; unreachable means skipped, unless
// SPECSTACK_TEST_REQUIRE_SERVICES=1, where it means failed (as test/support/databases.ts does for PostgreSQL).

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, describe } from 'vitest';
import { type Config, loadConfig } from '../../../src/config.ts';
import type { Database } from '../../../src/db/database.ts';
import { openDatabase } from '../../../src/db/open-database.ts';
import { createJobs, type Jobs, selectBackend } from '../../../src/jobs/create-jobs.ts';
import type { JobDefinition } from '../../../src/jobs/job-types.ts';
import { jobRegistry } from '../../../src/jobs/load-jobs.ts';
import { applyFrameworkMigrations } from '../../../src/migrate/framework-migrations.ts';
import type { ModelDescription } from '../../../src/model/table-description.ts';
import { type DialectContext, describeEachDialect } from '../../support/databases.ts';

export const REDIS_URL = process.env.SPECSTACK_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const REQUIRE_SERVICES = process.env.SPECSTACK_TEST_REQUIRE_SERVICES === '1';

export type BackendName = 'embedded' | 'bullmq';

async function probeRedis(): Promise<string | undefined> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3000,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    redis.disconnect();
  }
}

export const redisProblem = await probeRedis();
if (redisProblem && !REQUIRE_SERVICES) {
  console.warn(`BullMQ suites skipped: ${REDIS_URL} unreachable (${redisProblem})`);
}

/** `describe`, or a skip with the notice above, or a failure under SPECSTACK_TEST_REQUIRE_SERVICES=1. */
export function describeWithRedis(title: string, body: () => void): void {
  if (!redisProblem) {
    describe(title, body);
    return;
  }
  if (REQUIRE_SERVICES) {
    describe(title, () => {
      throw new Error(
        `Redis is required (SPECSTACK_TEST_REQUIRE_SERVICES=1) but ${REDIS_URL} is unreachable: ${redisProblem}`,
      );
    });
    return;
  }
  describe.skip(title, body);
}

export const EMPTY_MODEL: ModelDescription = { tables: [] };

export const silentLog = pino({ level: process.env.SPECSTACK_TEST_JOBS_LOG ?? 'silent' });

export function uniquePrefix(): string {
  return `specstack-test-${randomBytes(6).toString('hex')}`;
}

/** Deletes every key under a BullMQ prefix. */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface JobsInstance {
  jobs: Jobs;
  db: Database;
  config: Config;
}

export interface BackendContext {
  backend: BackendName;
  dialect: 'sqlite' | 'postgres';
  /**
   * A jobs instance as one process would have it: its own database connection, the suite's shared
   * database (and Redis prefix). Call it twice for two competing processes. Closed after each test.
   */
  open(
    definitions: (JobDefinition<never, unknown> & { name: string })[],
    overrides?: Partial<Config>,
  ): Promise<JobsInstance>;
  /** A new database (and prefix) for the next `open` calls of this test. */
  fresh(): Promise<void>;
}

function backendContext(backend: BackendName, dialects: DialectContext): BackendContext {
  let url: string | undefined;
  let prefix = uniquePrefix();
  const prefixes = [prefix];
  const opened: JobsInstance[] = [];
  afterEach(async () => {
    for (const instance of opened.splice(0)) {
      await instance.jobs.close();
      await instance.db.close();
    }
    url = undefined;
  });
  afterAll(async () => {
    if (backend === 'bullmq') for (const p of prefixes) await dropPrefix(REDIS_URL, p);
  });
  return {
    backend,
    dialect: dialects.dialect,
    async fresh() {
      url = await dialects.createDatabaseUrl();
      prefix = uniquePrefix();
      prefixes.push(prefix);
    },
    async open(definitions, overrides = {}) {
      if (url === undefined) {
        url = await dialects.createDatabaseUrl();
        prefix = uniquePrefix();
        prefixes.push(prefix);
      }
      const db = await openDatabase({ url, model: EMPTY_MODEL });
      await applyFrameworkMigrations(db);
      const config = loadConfig({
        env: {},
        overrides: {
          databaseUrl: url,
          jobsPollInterval: 25,
          jobsLease: 1000,
          jobsScheduleInterval: 100,
          jobsPrefix: prefix,
          ...(backend === 'bullmq' ? { redisUrl: REDIS_URL } : {}),
          ...overrides,
        },
      });
      const jobs = createJobs({
        config,
        db,
        registry: jobRegistry(definitions),
        log: silentLog,
        backend: await selectBackend(config),
      });
      const instance = { jobs, db, config };
      opened.push(instance);
      return instance;
    },
  };
}

/**
 * Declares `title [embedded sqlite]`, `title [embedded postgres]` and `title [bullmq]` (BullMQ
 * keeps its bookkeeping-free database on SQLite).
 */
export function describeEachBackend(title: string, body: (ctx: BackendContext) => void): void {
  describeEachDialect(`${title} [embedded]`, (dialects) =>
    body(backendContext('embedded', dialects)),
  );
  describeWithRedis(`${title} [bullmq]`, () => {
    describeEachDialect('', (dialects) => body(backendContext('bullmq', dialects)), ['sqlite']);
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value other than undefined/false, or fails after `timeout` ms. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeout = 10_000, interval = 25, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeout} ms waiting for ${what}${last ? `: ${last}` : ''}`,
      );
    }
    await sleep(interval);
  }
}
