// date-time values through auto-CRUD on every dialect: sent with any offset, stored as the same
// instant (timestamptz on PostgreSQL, ISO 8601 text on SQLite), answered in UTC with `Z`.

import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, request, startFixtureApp } from '../../support/app-server.ts';
import { describeEachDialect } from '../../support/databases.ts';

const APP = path.resolve(import.meta.dirname, '../../fixtures/apps/conditional');

describeEachDialect('date-time values', (ctx) => {
  let server: RunningApp;
  const call = (method: string, url: string, options?: Parameters<typeof request>[3]) =>
    request(server.url, method, url, options);

  beforeAll(async () => {
    server = await startFixtureApp(APP, await ctx.createDatabaseUrl());
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers a value sent with an offset as the same instant in UTC, on create, read and update', async () => {
    const created = await call('POST', '/notes', {
      json: { text: 'meeting', due: '2026-12-03T10:30:00+02:00' },
    });
    expect(created.status).toBe(201);
    expect(created.body.due).toBe('2026-12-03T08:30:00.000Z');
    const read = await call('GET', `/notes/${created.body.id}`);
    expect(read.body.due).toBe('2026-12-03T08:30:00.000Z');

    const moved = await call('PATCH', `/notes/${created.body.id}`, {
      json: { due: '2026-12-31T23:15:00-05:00' },
    });
    expect(moved.body.due).toBe('2027-01-01T04:15:00.000Z');
    expect((await call('GET', `/notes/${created.body.id}`)).body.due).toBe(
      '2027-01-01T04:15:00.000Z',
    );
  });
});
