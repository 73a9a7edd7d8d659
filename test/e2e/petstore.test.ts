// The petstore example end to end, on every dialect: the reference curl session, paging, bad
// input in every form the issue lists, and data that survives a restart.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, request, startApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';

const PETSTORE = path.resolve(import.meta.dirname, '../../examples/petstore');

/** The petstore's Error schema: exactly {code: int32, message: string}. */
function expectErrorShape(body: unknown, status: number) {
  expect(body).toEqual({ code: status, message: expect.any(String) });
}

describeEachDialect('petstore example', (ctx) => {
  let server: RunningApp;
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await ctx.createDatabaseUrl();
    server = await startApp(PETSTORE, databaseUrl);
  });
  afterAll(async () => {
    await server?.close();
  });

  const call = (method: string, url: string, options?: Parameters<typeof request>[3]) =>
    request(server.url, method, url, options);

  const petCount = async () => (await call('GET', '/api/pets?limit=100')).body.length as number;

  it('creates, lists and reads pets as in the reference curl session', async () => {
    const tiger = await call('POST', '/api/pets', { json: { name: 'tiger', tag: 'wild' } });
    expect(tiger.status).toBe(201);
    expect(tiger.headers.get('content-type')).toMatch(/^application\/json/);
    expect(tiger.body).toEqual({ id: expect.any(Number), name: 'tiger', tag: 'wild' });
    const molly = await call('POST', '/api/pets', { json: { name: 'molly', tag: 'homebuddy' } });
    expect(molly.body.id).toBeGreaterThan(tiger.body.id);

    const list = await call('GET', '/api/pets');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([tiger.body, molly.body]);

    const one = await call('GET', `/api/pets/${tiger.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(tiger.body);
  });

  it('answers a missing pet with 404 in the spec Error shape', async () => {
    const missing = await call('GET', '/api/pets/999999');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expectErrorShape(missing.body, 404);
    expect(missing.body.message).toContain('999999');
  });

  it('deletes a pet with 204, after which it is gone', async () => {
    const created = await call('POST', '/api/pets', { json: { name: 'ghost' } });
    // No tag was given: the property is absent, not null or "" (the schema allows neither).
    expect(created.body).toEqual({ id: expect.any(Number), name: 'ghost' });
    const deleted = await call('DELETE', `/api/pets/${created.body.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect((await call('GET', `/api/pets/${created.body.id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/pets/${created.body.id}`)).status).toBe(404);
  });

  it('pages with limit and follows the x-next link to the end', async () => {
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) {
      await call('POST', '/api/pets', { json: { name } });
    }
    const total = await petCount();
    const seen: number[] = [];
    let next: string | null = '/api/pets?limit=2';
    let pages = 0;
    while (next && pages < 20) {
      const page = await call('GET', next);
      expect(page.status).toBe(200);
      expect(page.body.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.map((pet: { id: number }) => pet.id));
      next = page.headers.get('x-next');
      if (next) expect(next).toMatch(/^\/api\/pets\?.*cursor=/);
      pages += 1;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  describe('bad input is a 4xx in the spec Error shape and writes nothing', () => {
    const cases: {
      title: string;
      method?: string;
      url?: string;
      options: Parameters<typeof request>[3];
      status: number;
      message: RegExp;
    }[] = [
      {
        title: 'a wrong type',
        options: { json: { name: 123 } },
        status: 400,
        message: /body\.name: must be string/,
      },
      {
        title: 'a missing required field',
        options: { json: { tag: 'x' } },
        status: 400,
        message: /body\.name: is required/,
      },
      {
        title: 'an unknown field where additionalProperties is false',
        options: { json: { name: 'a', colour: 'red' } },
        status: 400,
        message: /body\.colour: is not allowed/,
      },
      {
        title: 'a readOnly field',
        options: { json: { id: 5, name: 'a' } },
        status: 400,
        message: /body\.id/,
      },
      {
        title: 'a string over maxLength',
        options: { json: { name: 'x'.repeat(101) } },
        status: 400,
        message: /body\.name/,
      },
      {
        title: 'a NUL character, which PostgreSQL cannot store',
        options: { json: { name: 'a\u0000b' } },
        status: 400,
        message: /name: must be text without the NUL character/,
      },
      {
        title: 'malformed JSON',
        options: { body: '{"name": "tig', headers: { 'content-type': 'application/json' } },
        status: 400,
        message: /JSON/,
      },
      {
        title: 'an empty JSON body',
        options: { body: '', headers: { 'content-type': 'application/json' } },
        status: 400,
        message: /empty|required/,
      },
      { title: 'no body at all', options: {}, status: 400, message: /body: is required/ },
      {
        title: 'a body that is not an object',
        options: { json: ['tiger'] },
        status: 400,
        message: /body: must be object/,
      },
      {
        title: 'a wrong content type',
        options: { body: 'name=tiger', headers: { 'content-type': 'text/plain' } },
        status: 415,
        message: /text\/plain/,
      },
      {
        title: 'an oversized body',
        options: { json: { name: 'a', tag: 'x'.repeat(2 * 1024 * 1024) } },
        status: 413,
        message: /too large/,
      },
    ];
    for (const c of cases) {
      it(`rejects ${c.title} with ${c.status}`, async () => {
        const before = await petCount();
        const response = await call(c.method ?? 'POST', c.url ?? '/api/pets', c.options);
        expect(response.status).toBe(c.status);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expectErrorShape(response.body, c.status);
        expect(response.body.message).toMatch(c.message);
        expect(await petCount()).toBe(before);
      });
    }

    for (const [title, url, message] of [
      ['an id out of int64 range', '/api/pets/99999999999999999999', /params\.petId/],
      ['an id below the minimum', '/api/pets/0', /params\.petId: must be >= 1/],
      ['an id that is not a number', '/api/pets/abc', /params\.petId: must be integer/],
      ['a limit over the maximum', '/api/pets?limit=1000', /query\.limit: must be <= 100/],
      ['a limit that is not a number', '/api/pets?limit=ten', /query\.limit: must be integer/],
      ['a cursor that was never issued', '/api/pets?cursor=not-a-cursor', /query\.cursor/],
    ] as const) {
      it(`rejects ${title} with 400`, async () => {
        const response = await call('GET', url);
        expect(response.status).toBe(400);
        expectErrorShape(response.body, 400);
        expect(response.body.message).toMatch(message);
      });
    }
  });

  it('answers an unknown path with 404 and a wrong method with 405, both in the Error shape', async () => {
    const unknown = await call('GET', '/api/owners');
    expect(unknown.status).toBe(404);
    expectErrorShape(unknown.body, 404);
    const wrongMethod = await call('PUT', '/api/pets');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
    expectErrorShape(wrongMethod.body, 405);
  });

  it('serves its spec at /openapi.json and /api/openapi.json, and Swagger UI at /docs from the package', async () => {
    for (const url of ['/openapi.json', '/api/openapi.json']) {
      const spec = await call('GET', url);
      expect(spec.status).toBe(200);
      expect(spec.body.info.title).toBe('Swagger Petstore');
      expect(spec.body.paths['/pets'].post.requestBody).toBeDefined();
    }
    const page = await call('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script src="/docs/swagger-ui-bundle.js">');
    expect(page.text).not.toMatch(/https?:\/\//);
    const script = await call('GET', '/docs/swagger-ui-bundle.js');
    expect(script.status).toBe(200);
    expect(script.text.length).toBeGreaterThan(100_000);
    expect((await call('GET', '/docs/init.js')).text).toContain('"url":"/openapi.json"');
  });

  it('reports liveness and readiness', async () => {
    expect((await call('GET', '/health/live')).body).toEqual({ status: 'ok' });
    const ready = await call('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.database).toBe('ok');
  });

  it('tags every response and log line with a request id, keeping a sane incoming one', async () => {
    const response = await call('GET', '/api/pets/424242', {
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(response.headers.get('x-request-id')).toBe('trace-123');
    expect(server.logs.some((line) => line.reqId === 'trace-123')).toBe(true);
    const generated = await call('GET', '/api/pets', {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    // A fresh id: this process's random prefix and a counter, unique per request, and itself a
    // sane id a client may send back.
    const fresh = generated.headers.get('x-request-id')!;
    expect(fresh).toMatch(/^[\w-]{12}-[0-9a-z]+$/);
    const next = await call('GET', '/api/pets');
    expect(next.headers.get('x-request-id')).not.toBe(fresh);
    expect(next.headers.get('x-request-id')!.slice(0, 12)).toBe(fresh.slice(0, 12));
    const echoed = await call('GET', '/api/pets', { headers: { 'x-request-id': fresh } });
    expect(echoed.headers.get('x-request-id')).toBe(fresh);
  });

  it('keeps the data across a restart, and a second migrate up is a no-op', async () => {
    const created = await call('POST', '/api/pets', { json: { name: 'survivor' } });
    await server.close();
    server = await startApp(PETSTORE, databaseUrl);
    expect(server.logs.some((line) => String(line.msg).startsWith('applied migration'))).toBe(
      false,
    );
    const again = await call('GET', `/api/pets/${created.body.id}`);
    expect(again.status).toBe(200);
    expect(again.body.name).toBe('survivor');
  });
});
