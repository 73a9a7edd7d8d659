// A fixture app on every dialect: auto-CRUD with every column kind, PUT/PATCH semantics, unique and
// foreign-key conflicts, scoped sub-collections, custom handlers reading every request part, form
// bodies, a non-default error shape, problem+json where no error schema is declared, and a 500.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, request, startFixtureApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';

const SHOP = path.resolve(import.meta.dirname, '../fixtures/apps/shop');

const alice = {
  email: 'alice@example.com',
  name: 'Alice',
  password: 'correct horse battery',
  born: '1990-04-01',
  last_seen: '2026-11-01T10:00:00.000Z',
  profile: { bio: 'hi', links: ['a', 'b'] },
  tags: ['x', 'y'],
  score: 4.5,
};

function expectShopError(body: unknown, status: number) {
  expect(body).toMatchObject({ status, error: expect.any(String), message: expect.any(String) });
}

describeEachDialect('shop fixture app', (ctx) => {
  let server: RunningApp;

  beforeAll(async () => {
    server = await startFixtureApp(SHOP, await ctx.createDatabaseUrl());
  });
  afterAll(async () => {
    await server?.close();
  });

  const call = (method: string, url: string, options?: Parameters<typeof request>[3]) =>
    request(server.url, method, url, options);

  describe('auto-CRUD', () => {
    let id: number;

    it('creates with defaults, a Location header, and never returns the writeOnly password', async () => {
      const created = await call('POST', '/v1/owners', { json: alice });
      expect(created.status).toBe(201);
      id = created.body.id;
      const { password: _, ...visible } = alice;
      expect(created.body).toEqual({ id: expect.any(Number), ...visible, active: true });
      expect(created.headers.get('location')).toBe(`/v1/owners/${id}`);
      const read = await call('GET', `/v1/owners/${id}`);
      expect(read.body).toEqual(created.body);
      expect(read.text).not.toContain('password');
      expect(read.text).not.toContain('correct horse');
    });

    it('refuses a duplicate unique email with 409 in the spec error shape, writing nothing', async () => {
      const before = (await call('GET', '/v1/owners?limit=50')).body.length;
      const duplicate = await call('POST', '/v1/owners', { json: { ...alice, name: 'Other' } });
      expect(duplicate.status).toBe(409);
      expectShopError(duplicate.body, 409);
      expect((await call('GET', '/v1/owners?limit=50')).body.length).toBe(before);
    });

    it('PATCH merges: only the sent fields change (merge-patch+json accepted)', async () => {
      const patched = await call('PATCH', `/v1/owners/${id}`, {
        json: { name: 'Alice B', born: null },
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        name: 'Alice B',
        born: null,
        email: alice.email,
        tags: ['x', 'y'],
      });
    });

    it('PUT replaces: omitted optional fields return to their default, null, or absence', async () => {
      const replaced = await call('PUT', `/v1/owners/${id}`, {
        json: { email: 'alice@example.org', name: 'Alice C', password: 'another secret' },
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toEqual({
        id,
        email: 'alice@example.org',
        name: 'Alice C',
        born: null,
        last_seen: null,
        active: true,
        score: 0,
        profile: null,
      });
    });

    it('refuses a PUT missing a required field and a PATCH with a readOnly or unknown field', async () => {
      const put = await call('PUT', `/v1/owners/${id}`, {
        json: { name: 'x', password: 'long enough' },
      });
      expect(put.status).toBe(400);
      expect(put.body.details).toContainEqual({ field: 'body.email', message: 'is required' });
      const patch = await call('PATCH', `/v1/owners/${id}`, { json: { email: 'x@y.z' } });
      expect(patch.status).toBe(400);
      expect(patch.body.message).toContain('body.email: is not allowed');
      const readOnly = await call('POST', '/v1/owners', {
        json: { ...alice, id: 7, email: 'r@o.com' },
      });
      expect(readOnly.status).toBe(400);
      expect(readOnly.body.message).toContain('body.id: is read-only');
    });

    it('reports every field error at once, with the field named', async () => {
      const response = await call('POST', '/v1/owners', {
        json: { email: 'not-an-email', name: 5, password: 'short', active: 'yes' },
      });
      expect(response.status).toBe(400);
      const fields = response.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining(['body.email', 'body.name', 'body.password', 'body.active']),
      );
    });

    it('lists with equality filters, sort, offset and an x-next offset link', async () => {
      for (const [name, active] of [
        ['Bob', true],
        ['Carol', false],
        ['Dave', true],
      ] as const) {
        await call('POST', '/v1/owners', {
          json: {
            email: `${name.toLowerCase()}@example.com`,
            name,
            password: 'password123',
            active,
          },
        });
      }
      const sorted = await call('GET', '/v1/owners?sort=-name&limit=2');
      expect(sorted.body.map((o: { name: string }) => o.name)).toEqual(['Dave', 'Carol']);
      expect(sorted.headers.get('x-next')).toBe('/v1/owners?sort=-name&limit=2&offset=2');
      const next = await call('GET', sorted.headers.get('x-next')!);
      expect(next.body.map((o: { name: string }) => o.name)).toEqual(['Bob', 'Alice C']);
      expect(next.headers.get('x-next')).toBeNull();
      const inactive = await call('GET', '/v1/owners?active=false');
      expect(inactive.body.map((o: { name: string }) => o.name)).toEqual(['Carol']);
      const byEmail = await call('GET', '/v1/owners?email=bob@example.com');
      expect(byEmail.body).toHaveLength(1);
      const badSort = await call('GET', '/v1/owners?sort=password');
      expect(badSort.status).toBe(400);
      expect(badSort.body.details).toEqual([
        { field: 'query.sort', message: expect.stringContaining('password') },
      ]);
    });

    it('scopes a sub-collection by its parent and refuses a missing parent with 409', async () => {
      const owner = (await call('GET', '/v1/owners?email=bob@example.com')).body[0];
      const other = (await call('GET', '/v1/owners?email=dave@example.com')).body[0];
      const rex = await call('POST', `/v1/owners/${owner.id}/pets`, { json: { name: 'Rex' } });
      expect(rex.status).toBe(201);
      expect(rex.body).toEqual({ id: expect.any(Number), name: 'Rex', owner_id: owner.id });
      await call('POST', `/v1/owners/${other.id}/pets`, { json: { name: 'Fido' } });
      const pets = await call('GET', `/v1/owners/${owner.id}/pets`);
      expect(pets.body).toEqual([rex.body]);
      const orphan = await call('POST', '/v1/owners/999999/pets', { json: { name: 'Nobody' } });
      expect(orphan.status).toBe(409);
      expectShopError(orphan.body, 409);
      const blocked = await call('DELETE', `/v1/owners/${owner.id}`);
      expect(blocked.status).toBe(409);
      expect((await call('GET', `/v1/owners/${owner.id}`)).status).toBe(200);
    });

    it('deletes and answers with the deleted row when the spec declares a body', async () => {
      const carol = (await call('GET', '/v1/owners?email=carol@example.com')).body[0];
      const deleted = await call('DELETE', `/v1/owners/${carol.id}`);
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual(carol);
      expect((await call('GET', `/v1/owners/${carol.id}`)).status).toBe(404);
    });

    it('answers errors as application/problem+json where the operation declares no error schema', async () => {
      const response = await call('GET', '/v1/bare-owners/424242');
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        code: 'SPECSTACK_ERR_NOT_FOUND',
        detail: expect.any(String),
      });
    });
  });

  describe('custom handlers and request parts', () => {
    it('coerces and validates path, query, header and cookie values, and drops writeOnly output', async () => {
      const response = await call('GET', '/v1/greet/bob?times=2&tags=a&tags=b', {
        headers: { 'x-tone': 'loud', cookie: 'session=abc123' },
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        greeting: 'HELLO bob HELLO bob',
        session: 'abc123',
        tags: ['a', 'b'],
      });
    });

    it('splits delimited array parameters (form without explode, pipeDelimited, header lists) and coerces their items', async () => {
      const response = await call('GET', '/v1/greet/bob?colors=red,blue&sizes=1|2|3', {
        headers: { cookie: 'session=abc123', 'x-lucky-numbers': '7, 13' },
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        colors: ['red', 'blue'],
        sizes: [1, 2, 3],
        lucky: [7, 13],
      });
      const bad = await call('GET', '/v1/greet/bob?colors=red,purple', {
        headers: { cookie: 'session=abc123' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain('query.colors.1: must be one of "red", "green", "blue"');
    });

    it('names the faulty request part and field', async () => {
      const cookieMissing = await call('GET', '/v1/greet/bob');
      expect(cookieMissing.status).toBe(400);
      expect(cookieMissing.body.message).toContain('cookies.session: is required');
      const badQuery = await call('GET', '/v1/greet/bob?times=9', {
        headers: { cookie: 'session=abc' },
      });
      expect(badQuery.body.message).toContain('query.times: must be <= 3');
      const badHeader = await call('GET', '/v1/greet/bob', {
        headers: { cookie: 'session=abc', 'x-tone': 'rude' },
      });
      expect(badHeader.body.message).toContain('headers.x-tone: must be one of "plain", "loud"');
      const badPath = await call('GET', `/v1/greet/${'n'.repeat(30)}`, {
        headers: { cookie: 'session=abc' },
      });
      expect(badPath.body.message).toContain('params.name');
    });

    it('accepts a form body, coercing its fields, and refuses JSON there with 415', async () => {
      const form = await call('POST', '/v1/forms', {
        body: 'count=5&note=hi',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(202);
      expect(form.body).toEqual({ count: 5, note: 'hi' });
      const json = await call('POST', '/v1/forms', { json: { count: 5 } });
      expect(json.status).toBe(415);
      expectShopError(json.body, 415);
    });

    it('answers an unexpected exception with a 500 that hides the stack, logged with the request id', async () => {
      const response = await call('GET', '/v1/boom', { headers: { 'x-request-id': 'boom-1' } });
      expect(response.status).toBe(500);
      expectShopError(response.body, 500);
      expect(response.text).not.toContain('kaboom');
      expect(response.text).not.toContain('.ts');
      const logged = server.logs.find((line) => line.reqId === 'boom-1' && line.level === 50);
      expect(logged).toBeDefined();
      expect(JSON.stringify(logged)).toContain('kaboom');
    });
  });
});
