// Long-running operations over HTTP: an x-job operation answers 202 with Location, and
// GET /tasks/{taskId} follows its job to completion (or failure), with progress on the way; who may
// read a task; a job name the app does not define stops the start. Embedded backend on SQLite and
// PostgreSQL, and BullMQ on Redis.

import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { openApiValidator } from '../../../src/spec/openapi-validators.ts';
import {
  type BackendName,
  describeWithRedis,
  dropPrefix,
  eventually,
  REDIS_URL,
  uniquePrefix,
} from '../../jobs/support/backends.ts';
import { type RunningApp, startApp } from '../../support/app-server.ts';
import { describeEachDialect } from '../../support/databases.ts';

const APP = path.resolve(import.meta.dirname, '../../fixtures/apps/tasks');

function suite(backend: BackendName, dialects: { createDatabaseUrl(): Promise<string> }) {
  let running: RunningApp;
  const prefix = uniquePrefix();
  const tokens: Record<string, string> = {};

  async function call(
    method: string,
    url: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const response = await fetch(`${running.url}${url}`, {
      method,
      redirect: 'manual',
      headers: {
        ...options.headers,
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: answers are read freely.
    const body: any = text ? JSON.parse(text) : undefined;
    return { status: response.status, headers: response.headers, body };
  }

  /** Follows a task's Location until its state is final. */
  async function follow(location: string, token?: string) {
    const seen: unknown[] = [];
    const task = await eventually(
      async () => {
        const answer = await call('GET', location, token ? { token } : {});
        expect(answer.status).toBe(200);
        seen.push(answer.body.progress);
        return ['completed', 'failed'].includes(answer.body.state) ? answer.body : undefined;
      },
      { timeout: 20_000, what: `the task at ${location}` },
    );
    return { task, seen };
  }

  beforeAll(async () => {
    // The fixture has no tables, so no migration: it runs from the repository as it is.
    running = await startApp(APP, await dialects.createDatabaseUrl(), {
      jobsPrefix: prefix,
      jobsPollInterval: 25,
      ...(backend === 'bullmq' ? { redisUrl: REDIS_URL } : {}),
    });
    for (const name of ['admin', 'ann', 'bob']) {
      const login = await call('POST', '/api/login', { body: { username: name, password: name } });
      tokens[name] = login.body.access_token;
    }
  });
  afterAll(async () => {
    await running?.close();
    if (backend === 'bullmq') await dropPrefix(REDIS_URL, prefix);
  });

  it('answers 202 with Location, and the task runs to completion with progress', async () => {
    const started = await call('POST', '/api/counts', { body: { to: 5, stepMs: 60 } });
    expect(started.status).toBe(202);
    const location = started.headers.get('location')!;
    expect(location).toMatch(/^\/api\/tasks\/[0-9a-f-]{36}$/);
    expect(started.body).toMatchObject({
      id: location.split('/').at(-1),
      operation: 'startCount',
      attempts: 1,
    });
    // A worker may have claimed it already (its attempt then counts).
    expect(['waiting', 'active']).toContain(started.body.state);
    expect(started.body.attemptsMade).toBe(started.body.state === 'active' ? 1 : 0);
    expect(Date.parse(started.body.createdAt)).not.toBeNaN();

    const { task, seen } = await follow(location);
    expect(task).toMatchObject({
      state: 'completed',
      operation: 'startCount',
      result: { counted: 5, label: null, requestedBy: null },
      progress: { done: 5, total: 5 },
      attemptsMade: 1,
    });
    expect(Date.parse(task.finishedAt)).toBeGreaterThanOrEqual(Date.parse(task.startedAt));
    // Progress was seen on the way, not only at the end.
    expect(seen.some((p) => (p as { done?: number } | undefined)?.done !== 5)).toBe(true);
  });

  it("answers a task with the API's security headers, as operations answer, not a web page's", async () => {
    const started = await call('POST', '/api/broken');
    const task = await call('GET', started.headers.get('location')!);
    expect(task.status).toBe(200);
    for (const answer of [started, task]) {
      expect(answer.headers.get('content-security-policy')).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
    }
    const missing = await call('GET', '/api/tasks/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-frame-options')).toBe('DENY');
  });

  it('validates the request before enqueueing anything', async () => {
    const invalid = await call('POST', '/api/counts', { body: { to: -1 } });
    expect(invalid.status).toBe(400);
    const extra = await call('POST', '/api/counts', { body: { to: 1, sneaky: true } });
    expect(extra.status).toBe(400);
    const counts = await running.app.jobs.backend.listJobs({ name: 'count', limit: 100 });
    expect(counts).toHaveLength(1);
  });

  it('shows a failed job as a failed task with its error, never its stack', async () => {
    const started = await call('POST', '/api/broken');
    expect(started.status).toBe(202);
    const { task } = await follow(started.headers.get('location')!);
    expect(task).toMatchObject({
      state: 'failed',
      error: 'the broken job broke, as it always does',
    });
    expect(task.stack).toBeUndefined();
  });

  it('lets only the caller who started a task read it, under the operation security', async () => {
    const unsigned = await call('POST', '/api/private-counts', { body: { to: 1 } });
    expect(unsigned.status).toBe(401);
    const started = await call('POST', '/api/private-counts', {
      token: tokens.ann!,
      body: { to: 2, stepMs: 5 },
    });
    expect(started.status).toBe(202);
    const location = started.headers.get('location')!;
    const { task } = await follow(location, tokens.ann);
    expect(task.result).toEqual({ counted: 2, label: null, requestedBy: 'ann' });
    // Without a token the operation's security answers; another user sees no such task.
    const anonymous = await call('GET', location);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const other = await call('GET', location, { token: tokens.bob! });
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ code: 404 });
  });

  it('applies the scopes of the operation to reading its task', async () => {
    const refused = await call('POST', '/api/admin-counts/nightly?to=1', { token: tokens.ann! });
    expect(refused.status).toBe(403);
    const started = await call('POST', '/api/admin-counts/nightly?to=2', { token: tokens.admin! });
    expect(started.status).toBe(202);
    const location = started.headers.get('location')!;
    const { task } = await follow(location, tokens.admin);
    expect(task.result).toEqual({ counted: 2, label: 'nightly', requestedBy: 'admin' });
    expect((await call('GET', location, { token: tokens.ann! })).status).toBe(403);
  });

  it('answers 404 for ids that name no task, and for jobs not started by an x-job operation', async () => {
    const { id } = await running.app.jobs.enqueue('count', {
      params: {},
      query: {},
      body: { to: 0 },
    });
    for (const taskId of [id, '00000000-0000-4000-8000-000000000000', 'not-a-task', '..%2f..']) {
      const answer = await call('GET', `/api/tasks/${taskId}`);
      expect(answer.status, taskId).toBe(404);
      expect(answer.body).toMatchObject({ code: 404 });
    }
  });
}

describeEachDialect('x-job tasks [embedded]', (ctx) => suite('embedded', ctx));
describeWithRedis('x-job tasks [bullmq]', () =>
  describeEachDialect('', (ctx) => suite('bullmq', ctx), ['sqlite']),
);

describe('x-job at start-up', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'specstack-tasks-'));
    cpSync(APP, dir, { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an x-job naming no job of the app, naming its JSON pointer', async () => {
    const spec = path.join(dir, 'openapi.yaml');
    const { readFileSync } = await import('node:fs');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('x-job: broken', 'x-job: brokn'));
    await expect(
      createApp({
        appDir: dir,
        env: {},
        overrides: { databaseUrl: 'sqlite::memory:', port: 0, autoMigrate: true },
      }),
    ).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_SPEC_INVALID',
      pointer: 'openapi.yaml#/paths/~1broken/post/x-job',
      message: expect.stringContaining('no job named "brokn"'),
    });
  });
});

describe('the served spec of x-job operations', () => {
  let running: RunningApp;
  // biome-ignore lint/suspicious/noExplicitAny: the document is read freely.
  let served: any;
  beforeAll(async () => {
    running = await startApp(APP, 'sqlite::memory:');
    served = await (await fetch(`${running.url}/openapi.json`)).json();
  });
  afterAll(async () => {
    await running?.close();
  });

  it('is valid OpenAPI 3.1', async () => {
    const validate = await openApiValidator('3.1');
    expect(validate(served), JSON.stringify(validate.errors)).toBe(true);
  });

  it('declares the 202 answer with the task, its Location and a link to its read', () => {
    const accepted = served.paths['/counts'].post.responses['202'];
    expect(accepted.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/SpecstackTask',
    });
    expect(accepted.headers.Location).toMatchObject({ required: true });
    expect(accepted.links.task).toEqual({
      operationId: 'getTask',
      parameters: { taskId: '$response.body#/id' },
    });
    // An operation that declared no 202 at all gets one too.
    expect(served.paths['/admin-counts/{label}'].post.responses['202']).toBeDefined();
  });

  it('declares GET /tasks/{taskId} under the x-job operations security, in their error shape', () => {
    const read = served.paths['/tasks/{taskId}'].get;
    expect(read.operationId).toBe('getTask');
    expect(read.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/SpecstackTask',
    );
    expect(read.responses.default).toEqual({ $ref: '#/components/responses/Error' });
    expect(read.security).toEqual(
      expect.arrayContaining([{}, { bearerAuth: [] }, { bearerAuth: ['admin'] }]),
    );
    expect(served.components.schemas.SpecstackTask.required).toContain('state');
  });
});
