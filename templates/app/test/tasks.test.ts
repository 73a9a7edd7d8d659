// The app served in-process on an in-memory SQLite database and called over HTTP, as a client would.

import path from 'node:path';
import { type App, createApp } from 'specstack';
import { afterAll, beforeAll, expect, it } from 'vitest';

let app: App;
let api: string;

beforeAll(async () => {
  app = await createApp({
    appDir: path.resolve(import.meta.dirname, '..'),
    env: {},
    overrides: { port: 0, databaseUrl: 'sqlite::memory:', autoMigrate: true, logLevel: 'warn' },
  });
  api = `${await app.listen()}/api`;
});

afterAll(async () => {
  await app?.close();
});

function send(method: string, url: string, body?: unknown): Promise<Response> {
  return fetch(`${api}${url}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

it('creates a task, lists it, and completes it', async () => {
  const created = await send('POST', '/tasks', { title: 'write the spec' });
  expect(created.status).toBe(201);
  const task = (await created.json()) as { id: number; title: string; done: boolean };
  expect(task).toMatchObject({ title: 'write the spec', done: false });

  const open = await (await send('GET', '/tasks?done=false')).json();
  expect(open).toContainEqual(task);

  const completed = await send('POST', `/tasks/${task.id}/complete`);
  expect(completed.status).toBe(200);
  expect(await completed.json()).toEqual({ ...task, done: true });
});

it('refuses a task without a title with 400 and the spec’s Error shape', async () => {
  const response = await send('POST', '/tasks', { done: true });
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({ code: 400, message: expect.stringContaining('title') });
});

it('answers 404 for a task that does not exist', async () => {
  expect((await send('GET', '/tasks/999999')).status).toBe(404);
  expect((await send('POST', '/tasks/999999/complete')).status).toBe(404);
});
