// Conditional requests on auto-CRUD over real HTTP on every dialect: a strong ETag on reads, 304
// for a current copy, If-Match on writes (412 when stale, 428 where the spec requires it), and no
// lost update when two writers race with the same ETag.

import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, request, startFixtureApp } from '../../support/app-server.ts';
import { describeEachDialect } from '../../support/databases.ts';

const APP = path.resolve(import.meta.dirname, '../../fixtures/apps/conditional');

describeEachDialect('conditional requests', (ctx) => {
  let server: RunningApp;
  const call = (method: string, url: string, options?: Parameters<typeof request>[3]) =>
    request(server.url, method, url, options);
  const createNote = async (text: string) => {
    const created = await call('POST', '/notes', { json: { text } });
    expect(created.status).toBe(201);
    return created.body.id as number;
  };

  beforeAll(async () => {
    server = await startFixtureApp(APP, await ctx.createDatabaseUrl());
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sends a strong ETag on a read, and 304 with no body for a copy that is still current', async () => {
    const id = await createNote('first');
    const read = await call('GET', `/notes/${id}`);
    const etag = read.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await call('GET', `/notes/${id}`)).headers.get('etag')).toBe(etag);

    const current = await call('GET', `/notes/${id}`, { headers: { 'if-none-match': etag! } });
    expect(current.status).toBe(304);
    expect(current.text).toBe('');
    expect(current.headers.get('etag')).toBe(etag);
    const weak = await call('GET', `/notes/${id}`, { headers: { 'if-none-match': `W/${etag}` } });
    expect(weak.status).toBe(304);

    await call('PATCH', `/notes/${id}`, { json: { text: 'changed' } });
    const changed = await call('GET', `/notes/${id}`, { headers: { 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
    expect(changed.body.text).toBe('changed');
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('writes with a current If-Match and answers the new ETag; a stale one is a 412 that writes nothing', async () => {
    const id = await createNote('draft');
    const etag = (await call('GET', `/notes/${id}`)).headers.get('etag')!;
    const updated = await call('PATCH', `/notes/${id}`, {
      json: { text: 'final' },
      headers: { 'if-match': etag },
    });
    expect(updated.status).toBe(200);
    const fresh = updated.headers.get('etag');
    expect(fresh).not.toBe(etag);
    expect((await call('GET', `/notes/${id}`)).headers.get('etag')).toBe(fresh);

    const stale = await call('PATCH', `/notes/${id}`, {
      json: { text: 'overwritten' },
      headers: { 'if-match': etag },
    });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ status: 412, code: 'SPECSTACK_ERR_PRECONDITION_FAILED' });
    expect((await call('GET', `/notes/${id}`)).body.text).toBe('final');

    const staleDelete = await call('DELETE', `/notes/${id}`, { headers: { 'if-match': etag } });
    expect(staleDelete.status).toBe(412);
    const deleted = await call('DELETE', `/notes/${id}`, { headers: { 'if-match': fresh! } });
    expect(deleted.status).toBe(204);
    expect((await call('GET', `/notes/${id}`)).status).toBe(404);
    const gone = await call('DELETE', `/notes/${id}`, { headers: { 'if-match': '*' } });
    expect(gone.status).toBe(404);
  });

  it('lets one of two writers holding the same ETag win; the other gets 412, not a lost update', async () => {
    const id = await createNote('race');
    const etag = (await call('GET', `/notes/${id}`)).headers.get('etag')!;
    const writes = await Promise.all(
      [1, 2].map((counter) =>
        call('PATCH', `/notes/${id}`, { json: { counter }, headers: { 'if-match': etag } }),
      ),
    );
    const statuses = writes.map((write) => write.status).sort();
    expect(statuses).toEqual([200, 412]);
    const winner = writes.find((write) => write.status === 200)!;
    const final = await call('GET', `/notes/${id}`);
    expect(final.body.counter).toBe(winner.body.counter);
    expect(final.headers.get('etag')).toBe(winner.headers.get('etag'));
  });

  it('answers 428 when the spec requires If-Match and the request has none', async () => {
    const created = await call('POST', '/ledgers', { json: { balance: 10 } });
    const id = created.body.id;
    const missing = await call('PUT', `/ledgers/${id}`, { json: { balance: 20 } });
    expect(missing.status).toBe(428);
    expect(missing.body).toMatchObject({ code: 'SPECSTACK_ERR_PRECONDITION_REQUIRED' });
    const etag = (await call('GET', `/ledgers/${id}`)).headers.get('etag')!;
    const replaced = await call('PUT', `/ledgers/${id}`, {
      json: { balance: 20 },
      headers: { 'if-match': etag },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.balance).toBe(20);
  });
});
