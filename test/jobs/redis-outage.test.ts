// BullMQ through a Redis outage: a server started while Redis is down answers /health/ready with
// 503 and recovers without a restart; Redis stopped (killed) and started again loses no job whose
// enqueue was acknowledged. The suite runs its own redis-server (append-only file, fsync always)
// on a free port, so stopping it disturbs no one else.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFixtureApp } from '../support/app-server.ts';
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
  afterAll(() => {
    redis?.kill('SIGKILL');
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
    try {
      expect(await ready()).toBe(503);
      const body = await (await fetch(`${running.url}/health/ready`)).json();
      expect(body).toEqual({ status: 'unavailable', database: 'ok', redis: 'unreachable' });
      await expect(running.app.jobs.enqueue('note-written', { noteId: 0 })).rejects.toMatchObject({
        code: 'SPECSTACK_ERR_JOBS_UNAVAILABLE',
      });

      redis = startRedis(port, dir);
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

      redis = startRedis(port, dir);
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
    } finally {
      await running.close();
      rmSync(dbDir, { recursive: true, force: true });
    }
  });
});
