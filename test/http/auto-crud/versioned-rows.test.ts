// x-versioned tables over real HTTP on every dialect: the ETag is the row's version, each update
// moves it on, and If-Match is checked by the write's own statement, so of two writers holding one
// tag exactly one writes.

import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, request, startFixtureApp } from '../../support/app-server.ts';
import { describeEachDialect } from '../../support/databases.ts';

const APP = path.resolve(import.meta.dirname, '../../fixtures/apps/conditional');

describeEachDialect('x-versioned rows', (ctx) => {
  let server: RunningApp;
  const call = (method: string, url: string, options?: Parameters<typeof request>[3]) =>
    request(server.url, method, url, options);
  const createDocument = async (title: string) => {
    const created = await call('POST', '/documents', { json: { title } });
    expect(created.status).toBe(201);
    return created.body.id as number;
  };
  const etagOf = async (id: number) => (await call('GET', `/documents/${id}`)).headers.get('etag');

  beforeAll(async () => {
    server = await startFixtureApp(APP, await ctx.createDatabaseUrl());
  });
  afterAll(async () => {
    await server?.close();
  });

  it('tags a new row "1" and moves the tag on with every PATCH and PUT; the version is no property of the body', async () => {
    const id = await createDocument('plan');
    const read = await call('GET', `/documents/${id}`);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body).toEqual({ id, title: 'plan', body: '' });

    const patched = await call('PATCH', `/documents/${id}`, { json: { body: 'step one' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ id, title: 'plan', body: 'step one' });
    expect(await etagOf(id)).toBe('"2"');

    const replaced = await call('PUT', `/documents/${id}`, { json: { title: 'plan B' } });
    expect(replaced.status).toBe(200);
    expect(await etagOf(id)).toBe('"3"');
    expect((await call('GET', `/documents/${id}`)).body).toEqual({ id, title: 'plan B', body: '' });
  });

  it('serves a spec in which the version is no property of the schema, and reads declare their ETag', async () => {
    const served = (await call('GET', '/openapi.json')).body;
    const schema = served.components.schemas.Document;
    expect(schema['x-versioned']).toBe(true);
    expect(Object.keys(schema.properties)).toEqual(['id', 'title', 'body']);
    const read = served.paths['/documents/{id}'].get;
    expect(Object.keys(read.responses['200'].headers ?? {}).map((h) => h.toLowerCase())).toContain(
      'etag',
    );
  });

  it('ignores a version a client sends: only the server moves it', async () => {
    const id = await createDocument('pinned');
    const patched = await call('PATCH', `/documents/${id}`, {
      json: { title: 'still pinned', row_version: 99 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).not.toHaveProperty('row_version');
    expect(await etagOf(id)).toBe('"2"');
  });

  it('answers 304 to If-None-Match with the current tag and 200 once the row has changed', async () => {
    const id = await createDocument('cached');
    const current = await call('GET', `/documents/${id}`, { headers: { 'if-none-match': '"1"' } });
    expect(current.status).toBe(304);
    expect(current.text).toBe('');
    expect(current.headers.get('etag')).toBe('"1"');

    await call('PATCH', `/documents/${id}`, { json: { title: 'changed' } });
    const changed = await call('GET', `/documents/${id}`, { headers: { 'if-none-match': '"1"' } });
    expect(changed.status).toBe(200);
    expect(changed.body.title).toBe('changed');
  });

  it('writes with a current If-Match and answers the next tag; a stale tag is a 412 that writes nothing', async () => {
    const id = await createDocument('draft');
    const updated = await call('PATCH', `/documents/${id}`, {
      json: { title: 'final' },
      headers: { 'if-match': '"1"' },
    });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe('"2"');

    for (const [method, json] of [
      ['PATCH', { title: 'overwritten' }],
      ['PUT', { title: 'overwritten' }],
    ] as const) {
      const stale = await call(method, `/documents/${id}`, {
        json,
        headers: { 'if-match': '"1"' },
      });
      expect(stale.status).toBe(412);
      expect(stale.body).toMatchObject({ status: 412, code: 'SPECSTACK_ERR_PRECONDITION_FAILED' });
      expect(stale.body.detail ?? stale.body.message).toContain('"2"');
    }
    // Tags this server never gives out name no version: a 412, never a driver error.
    for (const tag of ['"99999999999"', '"2147483648"', '"-1"', '"x"', '2']) {
      const foreign = await call('PATCH', `/documents/${id}`, {
        json: { title: 'foreign' },
        headers: { 'if-match': tag },
      });
      expect(foreign.status).toBe(412);
    }
    const weak = await call('PATCH', `/documents/${id}`, {
      json: { title: 'weak' },
      headers: { 'if-match': 'W/"2"' },
    });
    expect(weak.status).toBe(412);
    const read = await call('GET', `/documents/${id}`);
    expect(read.body.title).toBe('final');
    expect(read.headers.get('etag')).toBe('"2"');

    // An empty patch writes nothing, yet its If-Match is still checked.
    const emptyStale = await call('PATCH', `/documents/${id}`, {
      json: {},
      headers: { 'if-match': '"1"' },
    });
    expect(emptyStale.status).toBe(412);
    const emptyCurrent = await call('PATCH', `/documents/${id}`, {
      json: {},
      headers: { 'if-match': '"2"' },
    });
    expect(emptyCurrent.status).toBe(200);
    expect(emptyCurrent.headers.get('etag')).toBe('"2"');

    const anyOf = await call('PATCH', `/documents/${id}`, {
      json: { body: 'listed' },
      headers: { 'if-match': '"1", "2"' },
    });
    expect(anyOf.status).toBe(200);
    expect(anyOf.headers.get('etag')).toBe('"3"');
  });

  it('deletes only with the current tag: 412 for a stale one, 404 once the row is gone', async () => {
    const id = await createDocument('doomed');
    await call('PATCH', `/documents/${id}`, { json: { title: 'doomed still' } });
    const stale = await call('DELETE', `/documents/${id}`, { headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect((await call('GET', `/documents/${id}`)).status).toBe(200);
    const deleted = await call('DELETE', `/documents/${id}`, { headers: { 'if-match': '"2"' } });
    expect(deleted.status).toBe(204);
    expect((await call('GET', `/documents/${id}`)).status).toBe(404);
    for (const tag of ['"2"', '*']) {
      const gone = await call('DELETE', `/documents/${id}`, { headers: { 'if-match': tag } });
      expect(gone.status).toBe(404);
      const patchGone = await call('PATCH', `/documents/${id}`, {
        json: { title: 'ghost' },
        headers: { 'if-match': tag },
      });
      expect(patchGone.status).toBe(404);
    }
  });

  it('lets exactly one of two concurrent writers with the same If-Match win; the row holds its change', async () => {
    for (let round = 0; round < 5; round += 1) {
      const id = await createDocument(`race ${round}`);
      const writes = await Promise.all(
        ['left', 'right'].map((body) =>
          call('PATCH', `/documents/${id}`, { json: { body }, headers: { 'if-match': '"1"' } }),
        ),
      );
      expect(writes.map((write) => write.status).sort()).toEqual([200, 412]);
      const winner = writes.find((write) => write.status === 200)!;
      expect(winner.headers.get('etag')).toBe('"2"');
      const final = await call('GET', `/documents/${id}`);
      expect(final.body.body).toBe(winner.body.body);
      expect(final.headers.get('etag')).toBe('"2"');
    }
  });

  it('lets exactly one of two concurrent deletes with the same If-Match delete; the other is told the row is gone or changed', async () => {
    const id = await createDocument('shared');
    const deletes = await Promise.all(
      [1, 2].map(() => call('DELETE', `/documents/${id}`, { headers: { 'if-match': '"1"' } })),
    );
    const statuses = deletes.map((d) => d.status).sort();
    expect(statuses[0]).toBe(204);
    expect([404, 412]).toContain(statuses[1]);
  });
});
