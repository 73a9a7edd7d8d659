// Idempotency-Key on x-job operations: a retry with the key replays the first 202 with the same
// task, and enqueues nothing; another body with the key is a 422; concurrent retries start one job;
// one caller's key is no other caller's. Embedded backend on SQLite and PostgreSQL, and BullMQ.

import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type BackendName,
  describeWithRedis,
  dropPrefix,
  REDIS_URL,
  uniquePrefix,
} from '../../jobs/support/backends.ts';
import { type RunningApp, request, startApp } from '../../support/app-server.ts';
import { describeEachDialect } from '../../support/databases.ts';

const APP = path.resolve(import.meta.dirname, '../../fixtures/apps/tasks');

function suite(backend: BackendName, dialects: { createDatabaseUrl(): Promise<string> }) {
  let running: RunningApp;
  const prefix = uniquePrefix();
  const tokens: Record<string, string> = {};
  const start = (key: string | undefined, json: unknown, token?: string, url = '/api/counts') =>
    request(running.url, 'POST', url, {
      json,
      headers: {
        ...(key ? { 'idempotency-key': key } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
  const countJobs = async () =>
    (await running.app.jobs.backend.listJobs({ name: 'count', limit: 1000 })).length;

  beforeAll(async () => {
    running = await startApp(APP, await dialects.createDatabaseUrl(), {
      jobsPrefix: prefix,
      jobsPollInterval: 25,
      ...(backend === 'bullmq' ? { redisUrl: REDIS_URL } : {}),
    });
    for (const name of ['ann', 'bob']) {
      const login = await request(running.url, 'POST', '/api/login', {
        json: { username: name, password: name },
      });
      tokens[name] = login.body.access_token;
    }
  });
  afterAll(async () => {
    await running?.close();
    if (backend === 'bullmq') await dropPrefix(REDIS_URL, prefix);
  });

  it('replays the first 202 for a retry with the same key and body, with the same task, enqueueing once', async () => {
    const before = await countJobs();
    const first = await start('retry-1', { to: 1, stepMs: 5 });
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const location = first.headers.get('location')!;
    expect(location).toMatch(/^\/api\/tasks\/[0-9a-f-]{36}$/);

    const retry = await start('retry-1', { to: 1, stepMs: 5 });
    expect(retry.status).toBe(202);
    expect(retry.headers.get('location')).toBe(location);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toMatchObject({ id: first.body.id, operation: 'startCount' });
    expect(await countJobs()).toBe(before + 1);

    // A request without a key, or with another, is a new task.
    const fresh = await start(undefined, { to: 1, stepMs: 5 });
    const other = await start('retry-2', { to: 1, stepMs: 5 });
    expect(
      new Set([location, fresh.headers.get('location'), other.headers.get('location')]).size,
    ).toBe(3);
    expect(await countJobs()).toBe(before + 3);
  });

  it('refuses the same key with another body with 422 in the spec error shape, enqueueing nothing', async () => {
    const first = await start('reused', { to: 1, stepMs: 5 });
    expect(first.status).toBe(202);
    const before = await countJobs();
    const reused = await start('reused', { to: 2, stepMs: 5 });
    expect(reused.status).toBe(422);
    // The operation's own error schema: { code: integer, message }.
    expect(reused.body).toEqual({
      code: 422,
      message: expect.stringContaining('Idempotency-Key "reused" was first used with another body'),
    });
    expect(reused.headers.get('location')).toBeNull();
    expect(await countJobs()).toBe(before);
  });

  it('starts one task for concurrent retries with one key', async () => {
    for (let round = 0; round < 3; round += 1) {
      const before = await countJobs();
      const answers = await Promise.all(
        [1, 2, 3].map(() => start(`concurrent-${round}`, { to: 1, stepMs: 5 })),
      );
      expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
      expect(new Set(answers.map((answer) => answer.headers.get('location'))).size).toBe(1);
      expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(
        2,
      );
      expect(await countJobs()).toBe(before + 1);
    }
  });

  it("keeps one caller's key apart from another's: each starts and reads a task of its own", async () => {
    const body = { to: 1, stepMs: 5 };
    const ann = await start('shared-key', body, tokens.ann, '/api/private-counts');
    const bob = await start('shared-key', body, tokens.bob, '/api/private-counts');
    expect([ann.status, bob.status]).toEqual([202, 202]);
    expect(bob.headers.get('location')).not.toBe(ann.headers.get('location'));
    expect(bob.headers.get('idempotent-replayed')).toBeNull();
    const annAgain = await start('shared-key', body, tokens.ann, '/api/private-counts');
    expect(annAgain.headers.get('location')).toBe(ann.headers.get('location'));
    const bobReadsAnn = await request(running.url, 'GET', ann.headers.get('location')!, {
      headers: { authorization: `Bearer ${tokens.bob}` },
    });
    expect(bobReadsAnn.status).toBe(404);
  });
}

describeEachDialect('x-job idempotency keys [embedded]', (ctx) => suite('embedded', ctx));
describeWithRedis('x-job idempotency keys [bullmq]', () =>
  describeEachDialect('', (ctx) => suite('bullmq', ctx)),
);
