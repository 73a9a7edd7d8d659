// Idempotency keys on an auto-CRUD create over real HTTP on every dialect: a retry replays the
// first answer, another body with the key is a 422, concurrent retries write one row, keys expire.

import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, request, startFixtureApp } from '../../support/app-server.ts';
import { describeEachDialect } from '../../support/databases.ts';

const APP = path.resolve(import.meta.dirname, '../../fixtures/apps/conditional');

describeEachDialect('idempotency keys', (ctx) => {
  let server: RunningApp;
  const create = (key: string, text: string) =>
    request(server.url, 'POST', '/notes', { json: { text }, headers: { 'idempotency-key': key } });
  /** Rows with this text, counted in the database itself. */
  const rowsWith = async (text: string) => {
    const db = server.app.db;
    const found = await db.repository('Note').list({ filters: { text }, sort: [], limit: 50 });
    return found.rows.length;
  };

  beforeAll(async () => {
    server = await startFixtureApp(APP, await ctx.createDatabaseUrl());
  });
  afterAll(async () => {
    await server?.close();
  });

  it('replays the first answer for a retry with the same key and body, writing once', async () => {
    const first = await create('key-retry', 'once');
    expect(first.status).toBe(201);
    const retry = await create('key-retry', 'once');
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await rowsWith('once')).toBe(1);
    const other = await create('key-other', 'once');
    expect(other.body.id).not.toBe(first.body.id);
  });

  it('refuses the same key with another body with 422, writing nothing', async () => {
    await create('key-reused', 'original');
    const reused = await create('key-reused', 'different');
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'SPECSTACK_ERR_IDEMPOTENCY_KEY_REUSED' });
    expect(await rowsWith('different')).toBe(0);
  });

  it('writes one row for concurrent retries with one key, and all get the same answer', async () => {
    const answers = await Promise.all([1, 2, 3, 4].map(() => create('key-race', 'raced')));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(await rowsWith('raced')).toBe(1);
  });

  it('forgets a key after its x-expires-in', async () => {
    const first = await create('key-expiring', 'expiring');
    await sleep(2100);
    const later = await create('key-expiring', 'expiring');
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
    expect(await rowsWith('expiring')).toBe(2);
  });
});
