// BullMQ through a Redis outage: a server started while Redis is down answers /health/ready with
// 503 and recovers without a restart; Redis stopped (killed) and started again loses no job whose
// enqueue was acknowledged. While Redis is down an enqueue outside a transaction fails (over
// HTTP: 503 in the spec's Error shape, the note rolled back), and one on a request's transaction
// is buffered in the database's outbox (201), then added to Redis and run once it is back. The
// suite runs its own redis-server (append-only file, fsync always) on a free port, so stopping it
// disturbs no one else.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startProcess } from '../support/app-process.ts';
import { prepareFixtureApp, request, startApp, startFixtureApp } from '../support/app-server.ts';
import { freePort } from '../support/free-port.ts';
import { describeWithRedis, eventually } from './support/backends.ts';
import { JOBS_APP } from './support/job-processes.ts';

const REDIS_SERVER = process.env.SPECSTACK_TEST_REDIS_SERVER || 'redis-server';
const hasRedisServer = spawnSync(REDIS_SERVER, ['--version']).status === 0;

function startRedis(port: number, dir: string): ChildProcess {
  return spawn(
    REDIS_SERVER,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
    ],
    { stdio: 'ignore' },
  );
}

const suite = hasRedisServer ? describeWithRedis : describe.skip;
if (!hasRedisServer) console.warn(`Redis outage suite skipped: no ${REDIS_SERVER} binary`);

suite('BullMQ through a Redis outage', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-redis-'));
  let redis: ChildProcess | undefined;
  /** Every redis-server the suite started, each killed at the end. */
  const started: ChildProcess[] = [];
  const startRedisServer = (port: number, dataDir = dir) => {
    const server = startRedis(port, dataDir);
    started.push(server);
    return server;
  };
  afterAll(() => {
    for (const server of started) server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts not ready while Redis is down, recovers without a restart, and loses no acknowledged job', {
    timeout: 90_000,
  }, async () => {
    const port = await freePort();
    const dbDir = mkdtempSync(path.join(tmpdir(), 'specstack-db-'));
    const running = await startFixtureApp(JOBS_APP, `sqlite:${path.join(dbDir, 'app.db')}`, {
      redisUrl: `redis://127.0.0.1:${port}`,
      jobsPrefix: 'outage',
      jobsLease: 2000,
    });
    const ready = async () => (await fetch(`${running.url}/health/ready`)).status;
    const notes = async () =>
      (await running.app.db.repository('Note').list({ filters: {}, sort: [], limit: 1000 })).rows;
    const outbox = () =>
      (running.app.db.client as { sqlite: BetterSqlite3.Database }).sqlite
        .prepare('SELECT id FROM specstack_job_outbox')
        .all();
    /** Jobs acknowledged over HTTP (201) while Redis was down: note id -> job id. */
    const buffered = new Map<number, string>();
    /** Both enqueues over HTTP: outside the transaction refused, on it buffered. */
    const enqueueOverHttp = async (text: string) => {
      const before = (await notes()).length;
      const direct = await request(running.url, 'POST', '/api/notes', {
        json: { text: `${text} direct`, direct: true },
      });
      expect(direct.status).toBe(503);
      expect(direct.body).toEqual({
        code: 503,
        message: expect.stringMatching(/^the job queue \(Redis\) is unreachable/),
      });
      expect((await notes()).length).toBe(before);
      const onTransaction = await request(running.url, 'POST', '/api/notes', {
        json: { text },
      });
      expect(onTransaction.status).toBe(201);
      buffered.set(onTransaction.body.note.id, onTransaction.body.jobId);
      // Committed with the note, in the outbox until Redis takes it.
      const waiting = running.logs.filter((line) =>
        String(line.msg).includes('waits in the outbox'),
      );
      await eventually(
        () =>
          running.logs.filter((line) => String(line.msg).includes('waits in the outbox')).length >
          waiting.length,
        { what: 'the job to wait in the outbox' },
      );
      expect(outbox()).toEqual([{ id: onTransaction.body.jobId.split('/')[1] }]);
    };
    try {
      expect(await ready()).toBe(503);
      const body = await (await fetch(`${running.url}/health/ready`)).json();
      expect(body).toEqual({ status: 'unavailable', database: 'ok', redis: 'unreachable' });
      await expect(running.app.jobs.enqueue('note-written', { noteId: 0 })).rejects.toMatchObject({
        code: 'SPECSTACK_ERR_JOBS_UNAVAILABLE',
      });
      await enqueueOverHttp('before Redis started');

      redis = startRedisServer(port);
      await eventually(async () => (await ready()) === 200, {
        timeout: 20_000,
        what: 'ready after Redis started',
      });
      await running.app.jobs.backend.setPaused('note-written', true);
      const acknowledged: string[] = [];
      for (let i = 1; i <= 20; i += 1) {
        acknowledged.push((await running.app.jobs.enqueue('note-written', { noteId: i })).id);
      }

      redis.kill('SIGKILL');
      await eventually(async () => (await ready()) === 503, { what: 'not ready after Redis died' });
      await expect(running.app.jobs.enqueue('note-written', { noteId: 99 })).rejects.toMatchObject({
        code: 'SPECSTACK_ERR_JOBS_UNAVAILABLE',
      });
      await enqueueOverHttp('while Redis was down');

      redis = startRedisServer(port);
      await eventually(async () => (await ready()) === 200, {
        timeout: 20_000,
        what: 'ready after Redis came back',
      });
      acknowledged.push((await running.app.jobs.enqueue('note-written', { noteId: 21 })).id);
      await running.app.jobs.backend.setPaused('note-written', false);
      await eventually(
        async () => {
          const states = await Promise.all(
            acknowledged.map((id) => running.app.jobs.backend.getJob(id)),
          );
          return states.every((job) => job?.state === 'completed');
        },
        { timeout: 30_000, what: 'every acknowledged job to complete' },
      );
      const results = await Promise.all(
        acknowledged.map((id) => running.app.jobs.backend.getJob(id)),
      );
      expect(results.map((job) => (job!.result as { noteId: number }).noteId)).toEqual(
        Array.from({ length: 21 }, (_, i) => i + 1),
      );
      // The jobs acknowledged over HTTP while Redis was down waited in the outbox, then ran.
      expect(buffered.size).toBe(2);
      for (const [noteId, jobId] of buffered) {
        const job = await eventually(
          async () => {
            const found = await running.app.jobs.backend.getJob(jobId);
            return found?.state === 'completed' ? found : undefined;
          },
          { timeout: 30_000, what: `the buffered job ${jobId} to complete` },
        );
        expect(job.result).toEqual({ noteId });
      }
      expect(outbox()).toEqual([]);
    } finally {
      await running.close();
      redis?.kill('SIGKILL');
      rmSync(dbDir, { recursive: true, force: true });
    }
  });

  it('adds the jobs a stopped process left in the outbox when the next one reaches Redis', {
    timeout: 60_000,
  }, async () => {
    const port = await freePort();
    const fixture = await prepareFixtureApp(JOBS_APP);
    const dbDir = mkdtempSync(path.join(tmpdir(), 'specstack-db-'));
    const databaseUrl = `sqlite:${path.join(dbDir, 'app.db')}`;
    const settings = { redisUrl: `redis://127.0.0.1:${port}`, jobsPrefix: 'left', jobsLease: 2000 };
    const redisDir = mkdtempSync(path.join(tmpdir(), 'specstack-redis-'));
    try {
      // Redis is down for the whole life of the first process: its job stays in the outbox.
      const first = await startApp(fixture.dir, databaseUrl, settings);
      const created = await request(first.url, 'POST', '/api/notes', { json: { text: 'left' } });
      expect(created.status).toBe(201);
      await first.close();

      redis = startRedisServer(port, redisDir);
      const second = await startApp(fixture.dir, databaseUrl, settings);
      try {
        const job = await eventually(
          async () => {
            const found = await second.app.jobs.backend.getJob(created.body.jobId);
            return found?.state === 'completed' ? found : undefined;
          },
          { timeout: 30_000, what: 'the job left in the outbox to complete' },
        );
        expect(job.result).toEqual({ noteId: created.body.note.id });
      } finally {
        await second.close();
      }
    } finally {
      redis?.kill('SIGKILL');
      fixture.remove();
      rmSync(dbDir, { recursive: true, force: true });
      rmSync(redisDir, { recursive: true, force: true });
    }
  });

  it('exits 0 on SIGTERM when Redis has been down since the process started', {
    timeout: 60_000,
  }, async () => {
    const fixture = await prepareFixtureApp(JOBS_APP);
    const dbDir = mkdtempSync(path.join(tmpdir(), 'specstack-db-'));
    // Nothing listens on this port: every connection attempt of the workers and queues is refused.
    const port = await freePort();
    const server = startProcess(fixture.dir, {
      DATABASE_URL: `sqlite:${path.join(dbDir, 'app.db')}`,
      SPECSTACK_AUTO_MIGRATE: '1',
      REDIS_URL: `redis://127.0.0.1:${port}`,
      SPECSTACK_JOBS_PREFIX: 'down',
      LOG_FORMAT: 'json',
    });
    try {
      const url = await server.listening;
      const created = await request(url, 'POST', '/api/notes', { json: { text: 'kept' } });
      expect(created.status).toBe(201);
      // Let the clients go through several refused attempts, then stop it as an orchestrator would.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      const output = `${server.lines.join('\n')}\n${server.stderr()}`;
      expect(output).not.toMatch(/Unhandled|uncaught/i);
    } finally {
      server.child.kill('SIGKILL');
      fixture.remove();
      rmSync(dbDir, { recursive: true, force: true });
    }
  });
});
