// Jobs inside a running app, over HTTP: enqueue on a request's transaction, the dashboard's JSON
// API with the app's own tokens, the page's headers, readiness. On every backend.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, startFixtureApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  type BackendName,
  describeWithRedis,
  dropPrefix,
  eventually,
  REDIS_URL,
  uniquePrefix,
} from './support/backends.ts';
import { JOBS_APP } from './support/job-processes.ts';

function suite(backend: BackendName, dialects: { createDatabaseUrl(): Promise<string> }) {
  let running: RunningApp;
  const prefix = uniquePrefix();
  let admin: string;
  let user: string;

  async function call(
    method: string,
    url: string,
    options: { token?: string; body?: unknown } = {},
  ) {
    const response = await fetch(`${running.url}${url}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
      text,
    };
  }

  async function login(username: string) {
    const { body } = await call('POST', '/api/login', { body: { username, password: username } });
    return body.access_token as string;
  }

  beforeAll(async () => {
    running = await startFixtureApp(JOBS_APP, await dialects.createDatabaseUrl(), {
      jobsPrefix: prefix,
      jobsPollInterval: 25,
      jobsLease: 2000,
      ...(backend === 'bullmq' ? { redisUrl: REDIS_URL } : {}),
    });
    admin = await login('admin');
    user = await login('someone');
  });
  afterAll(async () => {
    await running?.close();
    if (backend === 'bullmq') await dropPrefix(REDIS_URL, prefix);
  });

  const job = (id: string, token = admin) =>
    call('GET', `/admin/jobs/api/jobs/${encodeURIComponent(id)}`, { token });

  it('commits a job enqueued on the request transaction with it, and runs it', async () => {
    const created = await call('POST', '/api/notes', { body: { text: 'hello' } });
    expect(created.status).toBe(201);
    const done = await eventually(async () => {
      const found = await job(created.body.jobId);
      return found.body?.state === 'completed' ? found.body : undefined;
    });
    expect(done).toMatchObject({
      name: 'note-written',
      payload: { noteId: created.body.note.id },
      result: { noteId: created.body.note.id },
    });
  });

  it('rolls a job enqueued on the request transaction back with it', async () => {
    const before = await running.app.jobs.backend.listJobs({ name: 'note-written', limit: 100 });
    const failed = await call('POST', '/api/notes', { body: { text: 'doomed', fail: true } });
    expect(failed.status).toBe(500);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await running.app.jobs.backend.listJobs({ name: 'note-written', limit: 100 });
    expect(after.map((j) => j.id)).toEqual(before.map((j) => j.id));
    const notes = await running.app.db
      .repository('Note')
      .list({ filters: { text: 'doomed' }, sort: [], limit: 5 });
    expect(notes.rows).toEqual([]);
  });

  it('answers the jobs API with 401 without a token and 403 without the admin scope, in the app error shape', async () => {
    const anonymous = await call('GET', '/admin/jobs/api/overview');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({
      code: 401,
      message: expect.stringContaining('bearer token'),
    });
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const forged = await call('GET', '/admin/jobs/api/overview', { token: 'not.a.token' });
    expect(forged.status).toBe(401);
    const plain = await call('GET', '/admin/jobs/api/overview', { token: user });
    expect(plain.status).toBe(403);
    expect(plain.body).toMatchObject({ code: 403 });
    for (const [method, url] of [
      ['GET', '/admin/jobs/api/jobs'],
      ['POST', '/admin/jobs/api/jobs/x/retry'],
      ['DELETE', '/admin/jobs/api/jobs/x'],
      ['POST', '/admin/jobs/api/queues/flaky/pause'],
    ] as const) {
      expect((await call(method, url)).status).toBe(401);
      expect((await call(method, url, { token: user })).status).toBe(403);
    }
  });

  it('shows queues with counts, the next run of each schedule, and the login form fields', async () => {
    const overview = await call('GET', '/admin/jobs/api/overview', { token: admin });
    expect(overview.status).toBe(200);
    expect(overview.body.backend).toBe(backend);
    expect(overview.body.queues.map((q: { name: string }) => q.name)).toEqual([
      'flaky',
      'note-written',
      'slow',
      'tick',
    ]);
    const notes = overview.body.queues.find((q: { name: string }) => q.name === 'note-written');
    expect(notes.counts.completed).toBeGreaterThanOrEqual(1);
    expect(overview.body.schedules).toEqual([
      expect.objectContaining({
        name: 'tick',
        cron: '0 0 1 1 *',
        timezone: 'Europe/Paris',
        nextRun: expect.stringMatching(/^\d{4}-12-31T23:00:00\.000Z$/),
      }),
    ]);
    const login = await call('GET', '/admin/jobs/api/login');
    expect(login.body).toEqual({
      login: {
        path: '/api/login',
        fields: [
          { name: 'username', secret: false },
          { name: 'password', secret: true },
        ],
      },
    });
  });

  it('lists a failed job with its error and stack, and retries it to completion', async () => {
    const okFile = path.join(path.dirname(running.app.config.specPath), `ok-${Date.now()}`);
    const { id } = await running.app.jobs.enqueue('flaky', { okFile });
    await eventually(async () => (await job(id)).body?.state === 'failed');
    const failed = await call('GET', '/admin/jobs/api/jobs?state=failed', { token: admin });
    const listed = failed.body.jobs.find((j: { id: string }) => j.id === id);
    expect(listed.error).toBe('flaky failed: the ok file does not say ok');
    expect(listed.stack).toContain('flaky.ts');
    writeFileSync(okFile, 'ok');
    const retried = await call('POST', `/admin/jobs/api/jobs/${encodeURIComponent(id)}/retry`, {
      token: admin,
    });
    expect(retried).toMatchObject({ status: 200, body: { id, retried: true } });
    const done = await eventually(async () => {
      const found = await job(id);
      return found.body?.state === 'completed' ? found.body : undefined;
    });
    expect(done.result).toBe('recovered');
    expect(
      (await call('POST', `/admin/jobs/api/jobs/${encodeURIComponent(id)}/retry`, { token: admin }))
        .status,
    ).toBe(404);
    const removed = await call('DELETE', `/admin/jobs/api/jobs/${encodeURIComponent(id)}`, {
      token: admin,
    });
    expect(removed).toMatchObject({ status: 200, body: { removed: true } });
    expect((await job(id)).status).toBe(404);
  });

  it('pauses and resumes a queue', async () => {
    const paused = await call('POST', '/admin/jobs/api/queues/note-written/pause', {
      token: admin,
    });
    expect(paused.body).toEqual({ name: 'note-written', paused: true });
    const { body } = await call('POST', '/api/notes', { body: { text: 'while paused' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await job(body.jobId)).body.state).toBe('waiting');
    const overview = await call('GET', '/admin/jobs/api/overview', { token: admin });
    expect(
      overview.body.queues.find((q: { name: string }) => q.name === 'note-written').paused,
    ).toBe(true);
    await call('POST', '/admin/jobs/api/queues/note-written/resume', { token: admin });
    await eventually(async () => (await job(body.jobId)).body?.state === 'completed');
    expect((await call('POST', '/admin/jobs/api/queues/nope/pause', { token: admin })).status).toBe(
      404,
    );
    expect((await call('GET', '/admin/jobs/api/jobs?state=bogus', { token: admin })).status).toBe(
      400,
    );
  });

  it('serves the page from the package with a strict content security policy', async () => {
    const page = await fetch(`${running.url}/admin/jobs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).not.toMatch(/https?:\/\//);
    const script = await fetch(`${running.url}/admin/jobs/assets/dashboard.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${running.url}/admin/jobs/assets/nope.js`)).status).toBe(404);
  });

  it('is ready when its job store is', async () => {
    const ready = await call('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ok',
      database: 'ok',
      ...(backend === 'bullmq' ? { redis: 'ok' } : {}),
    });
  });
}

describeEachDialect('jobs in an app [embedded]', (ctx) => suite('embedded', ctx));
describeWithRedis('jobs in an app [bullmq]', () =>
  describeEachDialect('', (ctx) => suite('bullmq', ctx), ['sqlite']),
);
