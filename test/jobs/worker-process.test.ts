// `specstack worker` processes: a worker killed with SIGKILL mid-job leaves the job to another
// worker once its lease expires; SIGTERM lets the running job finish. On every backend.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import type { Dialect } from '../../src/db/database.ts';
import { prepareFixtureApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  type BackendName,
  describeWithRedis,
  dropPrefix,
  eventually,
  REDIS_URL,
  uniquePrefix,
} from './support/backends.ts';
import { JOBS_APP, type SpawnedProcess, spawnSpecstack } from './support/job-processes.ts';

function suite(backend: BackendName, dialects: { createDatabaseUrl(): Promise<string> }) {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup() {
    const fixture = await prepareFixtureApp(JOBS_APP);
    cleanups.push(() => fixture.remove());
    const url = await dialects.createDatabaseUrl();
    const prefix = uniquePrefix();
    if (backend === 'bullmq') cleanups.push(() => dropPrefix(REDIS_URL, prefix));
    const env: Record<string, string> = {
      DATABASE_URL: url,
      SPECSTACK_AUTO_MIGRATE: '1',
      SPECSTACK_JOBS_LEASE: '1000',
      SPECSTACK_JOBS_POLL_INTERVAL: '50',
      SPECSTACK_JOBS_PREFIX: prefix,
      SPECSTACK_JOBS_GRACE: '5000',
      ...(backend === 'bullmq' ? { REDIS_URL } : {}),
    };
    const app: App = await createApp({
      appDir: fixture.dir,
      env,
      workers: false,
      logger: pino({ level: 'silent' }),
    });
    cleanups.push(() => app.close());
    const workers: SpawnedProcess[] = [];
    cleanups.push(() => {
      for (const worker of workers) worker.child.kill('SIGKILL');
    });
    const startWorker = async () => {
      const worker = spawnSpecstack(['worker', '--app', fixture.dir], env);
      workers.push(worker);
      await worker.waitFor(`worker ${worker.child.pid} running`);
      return worker;
    };
    const file = path.join(fixture.dir, `trace-${Date.now()}.txt`);
    writeFileSync(file, '');
    return { app, startWorker, file, trace: () => readFileSync(file, 'utf8') };
  }

  it('retries and completes a job whose worker was killed with SIGKILL mid-job', {
    timeout: 90_000,
  }, async () => {
    const { app, startWorker, file, trace } = await setup();
    const first = await startWorker();
    const { id } = await app.jobs.enqueue('slow', { file, ms: 1500 });
    await eventually(() => trace().includes(`started`), { what: 'the job to start' });
    expect(trace()).toContain(`${first.child.pid}`);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    const second = await startWorker();
    const done = await eventually(
      async () => {
        const job = await app.jobs.backend.getJob(id);
        return job?.state === 'completed' ? job : undefined;
      },
      { timeout: 20_000, what: 'the job to complete on the second worker' },
    );
    const lines = trace().trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^started \\d ${first.child.pid}$`));
    expect(lines[1]).toMatch(new RegExp(`^started \\d ${second.child.pid}$`));
    expect(lines[2]).toMatch(/^done \d$/);
    expect(lines).toHaveLength(3);
    expect(done.result).toEqual({ attempt: Number(lines[2]!.split(' ')[1]) });
  });

  it('lets the running job finish on SIGTERM, then exits 0', { timeout: 60_000 }, async () => {
    const { app, startWorker, file, trace } = await setup();
    const worker = await startWorker();
    const { id } = await app.jobs.enqueue('slow', { file, ms: 800 });
    await eventually(() => trace().includes('started'), { what: 'the job to start' });
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(trace()).toMatch(/done 1/);
    expect((await app.jobs.backend.getJob(id))?.state).toBe('completed');
  });
}

function dialectSuite(backend: BackendName, dialects: readonly Dialect[]) {
  describeEachDialect(`specstack worker [${backend}]`, (ctx) => suite(backend, ctx), dialects);
}

dialectSuite('embedded', ['sqlite', 'postgres']);
describeWithRedis('specstack worker on Redis', () => dialectSuite('bullmq', ['sqlite']));
