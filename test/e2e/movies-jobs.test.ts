// The movies example's background jobs end to end, on the embedded backend (SQLite, PostgreSQL)
// and on BullMQ: sign-up enqueues the welcome email now and the follow-up in ten days inside its
// transaction, each recorded as a task of the user; the welcome email lands in the outbox; both
// show in the jobs dashboard's API.

import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../../src/index.ts';
import {
  type BackendName,
  describeWithRedis,
  dropPrefix,
  eventually,
  REDIS_URL,
  uniquePrefix,
} from '../jobs/support/backends.ts';
import { type RunningApp, request, startApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';

const MOVIES = path.resolve(import.meta.dirname, '../../examples/movies');
const DAY = 24 * 60 * 60 * 1000;

function suite(backend: BackendName, dialects: { createDatabaseUrl(): Promise<string> }) {
  let server: RunningApp;
  const prefix = uniquePrefix();
  let adminToken: string;

  beforeAll(async () => {
    server = await startApp(MOVIES, await dialects.createDatabaseUrl(), {
      jobsPrefix: prefix,
      jobsPollInterval: 25,
      ...(backend === 'bullmq' ? { redisUrl: REDIS_URL } : {}),
    });
    await server.app.db.repository('User').insert({
      email: 'root@example.com',
      name: 'Root',
      password: await hashPassword('admin-password-42'),
      role: 'admin',
    });
    const login = await request(server.url, 'POST', '/api/login', {
      json: { email: 'root@example.com', password: 'admin-password-42' },
    });
    adminToken = login.body.access_token;
  });
  afterAll(async () => {
    await server?.close();
    if (backend === 'bullmq') await dropPrefix(REDIS_URL, prefix);
  });

  it("sends the welcome email through the outbox, schedules the follow-up in ten days, and lists both as the user's tasks", async () => {
    const signedUp = Date.now();
    const created = await request(server.url, 'POST', '/api/users', {
      json: { email: 'Cleo@Example.com', name: 'Cleo', password: 'correct horse battery' },
    });
    expect(created.status).toBe(201);
    const userId = created.body.id as number;
    const { body: session } = await request(server.url, 'POST', '/api/login', {
      json: { email: 'cleo@example.com', password: 'correct horse battery' },
    });
    const headers = { authorization: `Bearer ${session.access_token}` };

    const outbox = server.app.db.repository('OutboxMessage');
    const message = await eventually(
      async () => {
        const { rows } = await outbox.list({ filters: { user_id: userId }, sort: [], limit: 5 });
        return rows[0];
      },
      { what: 'the welcome email in the outbox' },
    );
    expect(message).toMatchObject({
      to: 'cleo@example.com',
      subject: 'Welcome to specstack movies',
    });
    expect(message.body).toContain('Hello Cleo');

    const tasks = await eventually(
      async () => {
        const { body } = await request(server.url, 'GET', '/api/me/tasks', { headers });
        return body.find((task: { name: string; status: string }) => task.name === 'welcome-email')
          ?.status === 'done'
          ? body
          : undefined;
      },
      { what: 'the welcome task done' },
    );
    expect(tasks.map((task: { name: string }) => task.name).sort()).toEqual([
      'follow-up-email',
      'welcome-email',
    ]);
    const followUp = tasks.find((task: { name: string }) => task.name === 'follow-up-email');
    expect(followUp.status).toBe('queued');
    expect(Date.parse(followUp.run_at) - signedUp).toBeGreaterThan(10 * DAY - 60_000);

    const dashboard = { authorization: `Bearer ${adminToken}` };
    const job = await request(
      server.url,
      'GET',
      `/admin/jobs/api/jobs/${encodeURIComponent(followUp.job_id)}`,
      { headers: dashboard },
    );
    expect(job.body).toMatchObject({
      name: 'follow-up-email',
      state: 'delayed',
      payload: { userId },
    });
    expect(Date.parse(job.body.runAt) - signedUp).toBeGreaterThan(10 * DAY - 60_000);
    const overview = await request(server.url, 'GET', '/admin/jobs/api/overview', {
      headers: dashboard,
    });
    const queues = Object.fromEntries(
      overview.body.queues.map((q: { name: string; counts: unknown }) => [q.name, q.counts]),
    );
    expect(queues['welcome-email']).toMatchObject({ completed: 1 });
    expect(queues['follow-up-email']).toMatchObject({ delayed: 1 });
    // Another user's token sees only their own tasks; the dashboard refuses them.
    expect((await request(server.url, 'GET', '/admin/jobs/api/overview', { headers })).status).toBe(
      403,
    );
  });

  it('enqueues nothing when the sign-up fails', async () => {
    const before = await server.app.jobs.backend.queues(['welcome-email']);
    const duplicate = await request(server.url, 'POST', '/api/users', {
      json: { email: 'root@example.com', name: 'Again', password: 'correct horse battery' },
    });
    expect(duplicate.status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await server.app.jobs.backend.queues(['welcome-email'])).toEqual(before);
  });
}

describeEachDialect('movies jobs [embedded]', (ctx) => suite('embedded', ctx));
describeWithRedis('movies jobs [bullmq]', () =>
  describeEachDialect('', (ctx) => suite('bullmq', ctx), ['sqlite']),
);
