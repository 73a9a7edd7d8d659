import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, request, startFixtureApp } from '../../support/app-server.ts';
import { describeEachDialect } from '../../support/databases.ts';

const APP = fileURLToPath(new URL('../../fixtures/apps/to-many/', import.meta.url));

describeEachDialect('auto-CRUD writes of to-many relationships', (ctx) => {
  let running: RunningApp;
  let url: string;
  const send = (method: string, path: string, json: unknown) =>
    request(url, method, path, { json });
  const post = (path: string, json: unknown) => send('POST', path, json);
  const get = (path: string) => request(url, 'GET', path);
  const tags: Record<string, number> = {};

  beforeAll(async () => {
    running = await startFixtureApp(APP, await ctx.createDatabaseUrl());
    url = running.url;
    for (const name of ['zeta', 'alpha', 'mu']) {
      const created = await post('/tags', { name });
      expect(created.status).toBe(201);
      tags[name] = created.body.id;
    }
  });
  afterAll(() => running?.close());

  const tag = (name: string) => ({ id: tags[name]!, name });
  const links = async (articleId: number) =>
    (
      await running.app.db
        .repository('article_tag')
        .list({ filters: { articles_id: articleId }, sort: [], limit: 100 })
    ).rows;

  it('creates a many-to-many by the related keys, answered in the x-kwargs order_by order', async () => {
    const created = await post('/articles', {
      title: 'first',
      tags: [{ id: tags.zeta }, { id: tags.alpha }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(Number),
      title: 'first',
      tags: [tag('alpha'), tag('zeta')],
    });
    expect((await get(`/articles/${created.body.id}`)).body.tags).toEqual([
      tag('alpha'),
      tag('zeta'),
    ]);
  });

  it('replaces the association rows on PATCH and PUT; PATCH without the list keeps it', async () => {
    const { body } = await post('/articles', { title: 'second', tags: [{ id: tags.zeta }] });
    const patched = await send('PATCH', `/articles/${body.id}`, {
      title: 'second',
      tags: [{ id: tags.mu }, { id: tags.alpha }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.tags).toEqual([tag('alpha'), tag('mu')]);
    const renamed = await send('PATCH', `/articles/${body.id}`, { title: 'renamed' });
    expect(renamed.body).toEqual({
      id: body.id,
      title: 'renamed',
      tags: [tag('alpha'), tag('mu')],
    });
    const replaced = await send('PUT', `/articles/${body.id}`, {
      title: 'again',
      tags: [{ id: tags.zeta }],
    });
    expect(replaced.body).toEqual({ id: body.id, title: 'again', tags: [tag('zeta')] });
    expect(await links(body.id)).toEqual([{ articles_id: body.id, tags_id: tags.zeta }]);
    // PUT replaces the whole resource: a list it leaves out is emptied, as a column takes its default.
    const emptied = await send('PUT', `/articles/${body.id}`, { title: 'bare' });
    expect(emptied.body.tags).toEqual([]);
    expect(await links(body.id)).toEqual([]);
  });

  it('links a key listed twice once', async () => {
    const created = await post('/articles', {
      title: 'twice',
      tags: [{ id: tags.mu }, { id: tags.mu }, { id: tags.alpha }],
    });
    expect(created.status).toBe(201);
    expect(created.body.tags).toEqual([tag('alpha'), tag('mu')]);
    expect(await links(created.body.id)).toHaveLength(2);
  });

  it('refuses an unknown related key with a 409 naming the field, writing neither the row nor its links', async () => {
    const before = (await get('/articles?limit=100')).body.length;
    const refused = await post('/articles', {
      title: 'ghost',
      tags: [{ id: tags.alpha }, { id: 9999 }],
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      code: 'SPECSTACK_ERR_FOREIGN_KEY_VIOLATION',
      message: 'body.tags.1.id: no Tag has id 9999',
    });
    expect((await get('/articles?limit=100')).body.length).toBe(before);

    const { body } = await post('/articles', { title: 'kept', tags: [{ id: tags.zeta }] });
    const patch = await send('PATCH', `/articles/${body.id}`, {
      title: 'changed',
      tags: [{ id: 9999 }],
    });
    expect(patch.status).toBe(409);
    expect(patch.body.message).toBe('body.tags.0.id: no Tag has id 9999');
    expect((await get(`/articles/${body.id}`)).body).toEqual({
      id: body.id,
      title: 'kept',
      tags: [tag('zeta')],
    });
  });

  it('writes the list in the transaction of a conditional write (If-Match)', async () => {
    const { body } = await post('/articles', { title: 'guarded', tags: [{ id: tags.mu }] });
    const etag = (await get(`/articles/${body.id}`)).headers.get('etag')!;
    const refused = await request(url, 'PATCH', `/articles/${body.id}`, {
      json: { title: 'guarded', tags: [{ id: 9999 }] },
      headers: { 'if-match': etag },
    });
    expect(refused.status).toBe(409);
    expect((await get(`/articles/${body.id}`)).body.tags).toEqual([tag('mu')]);
    const written = await request(url, 'PATCH', `/articles/${body.id}`, {
      json: { title: 'guarded', tags: [{ id: tags.zeta }] },
      headers: { 'if-match': etag },
    });
    expect(written.status).toBe(200);
    expect(written.body.tags).toEqual([tag('zeta')]);
  });

  it('writes the list with an idempotent create once, and replays the first answer', async () => {
    const headers = { 'idempotency-key': 'article-once' };
    const json = { title: 'once', tags: [{ id: tags.alpha }] };
    const first = await request(url, 'POST', '/articles', { json, headers });
    expect(first.status).toBe(201);
    expect(first.body.tags).toEqual([tag('alpha')]);
    const again = await request(url, 'POST', '/articles', { json, headers });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await links(first.body.id)).toHaveLength(1);
    const refused = await request(url, 'POST', '/articles', {
      json: { title: 'never', tags: [{ id: 9999 }] },
      headers: { 'idempotency-key': 'article-refused' },
    });
    expect(refused.status).toBe(409);
    const titles = (await get('/articles?limit=100')).body.map((a: { title: string }) => a.title);
    expect(titles).not.toContain('never');
  });

  it('refuses a listed object without its key with a 400 naming the field', async () => {
    const refused = await post('/articles', { title: 'nokey', tags: [{ name: 'alpha' }] });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('SPECSTACK_ERR_VALIDATION');
    expect(refused.body.message).toContain('body.tags.0.id');
  });

  it('sets the children’s foreign key of a one-to-many, and detaches those left out when it is nullable', async () => {
    const titles = ['dune', 'emma', 'ulysses'];
    const books: number[] = [];
    for (const title of titles) books.push((await post('/books', { title })).body.id);
    const shelf = await post('/shelves', {
      label: 'north',
      books: [{ id: books[0] }, { id: books[1] }],
    });
    expect(shelf.status).toBe(201);
    // x-kwargs order_by: title desc
    expect(shelf.body.books).toEqual([
      { id: books[1], title: 'emma' },
      { id: books[0], title: 'dune' },
    ]);
    const other = await post('/shelves', { label: 'south', books: [{ id: books[1] }] });
    expect(other.body.books).toEqual([{ id: books[1], title: 'emma' }]);
    // Listed on another shelf, emma moved there.
    expect((await get(`/shelves/${shelf.body.id}`)).body.books).toEqual([
      { id: books[0], title: 'dune' },
    ]);
    const patched = await send('PATCH', `/shelves/${shelf.body.id}`, {
      label: 'north',
      books: [{ id: books[2] }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.books).toEqual([{ id: books[2], title: 'ulysses' }]);
    const dune = await running.app.db.repository('Book').findByKey(books[0]!);
    expect(dune).toEqual({ id: books[0], title: 'dune', shelves_id: null });
  });

  it('writes a one-to-one held by the other table by key, moving it and detaching the one it replaces', async () => {
    const lamp = (await post('/lamps', { name: 'brass' })).body;
    const desk = await post('/desks', { label: 'oak', lamp: { id: lamp.id } });
    expect(desk.status).toBe(201);
    expect(desk.body.lamp).toEqual({ id: lamp.id, name: 'brass' });
    const held = await running.app.db.repository('Lamp').findByKey(lamp.id);
    expect(held).toEqual({ id: lamp.id, name: 'brass', desk_id: desk.body.id });
    // Given to another desk, the lamp leaves the first.
    const pine = await post('/desks', { label: 'pine', lamp: { id: lamp.id } });
    expect(pine.body.lamp).toEqual({ id: lamp.id, name: 'brass' });
    expect((await get(`/desks/${desk.body.id}`)).body.lamp ?? null).toBeNull();
    const unknown = await send('PATCH', `/desks/${pine.body.id}`, {
      label: 'pine',
      lamp: { id: 999_999 },
    });
    expect(unknown.status).toBe(409);
    expect(unknown.body.message).toContain('body.lamp.id: no Lamp has id 999999');
    expect((await get(`/desks/${pine.body.id}`)).body.lamp).toEqual({ id: lamp.id, name: 'brass' });
    // Another lamp for the desk: the one it had is detached (its foreign key is nullable).
    const iron = (await post('/lamps', { name: 'iron' })).body;
    const swapped = await send('PATCH', `/desks/${pine.body.id}`, {
      label: 'pine',
      lamp: { id: iron.id },
    });
    expect(swapped.status).toBe(200);
    expect(swapped.body.lamp).toEqual({ id: iron.id, name: 'iron' });
    expect((await running.app.db.repository('Lamp').findByKey(lamp.id))?.desk_id).toBeNull();
  });

  it('refuses to detach a child whose foreign key is required, writing nothing', async () => {
    const first = (await post('/albums', { title: 'first' })).body;
    const second = (await post('/albums', { title: 'second' })).body;
    const a = (await post('/tracks', { title: 'a', album: { id: first.id } })).body;
    const b = (await post('/tracks', { title: 'b', album: { id: first.id } })).body;
    expect((await get(`/albums/${first.id}`)).body.tracks).toEqual([
      { id: a.id, title: 'a' },
      { id: b.id, title: 'b' },
    ]);
    const refused = await send('PATCH', `/albums/${first.id}`, {
      title: 'renamed',
      tracks: [{ id: a.id }],
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('SPECSTACK_ERR_DETACH_REFUSED');
    expect(refused.body.message).toContain(`body.tracks: leaves out Track ${b.id}`);
    expect((await get(`/albums/${first.id}`)).body).toEqual({
      id: first.id,
      title: 'first',
      tracks: [
        { id: a.id, title: 'a' },
        { id: b.id, title: 'b' },
      ],
    });
    // Moving a track to another album is allowed: its key is set, not cleared.
    const moved = await send('PATCH', `/albums/${second.id}`, {
      title: 'second',
      tracks: [{ id: b.id }],
    });
    expect(moved.status).toBe(200);
    expect(moved.body.tracks).toEqual([{ id: b.id, title: 'b' }]);
    expect((await get(`/tracks/${b.id}`)).body.album).toEqual({ id: second.id, title: 'second' });
  });
});

describeEachDialect('auto-CRUD reads with an expand parameter', (ctx) => {
  let running: RunningApp;
  let url: string;
  const post = (path: string, json: unknown) => request(url, 'POST', path, { json });
  const get = (path: string) => request(url, 'GET', path);

  beforeAll(async () => {
    running = await startFixtureApp(APP, await ctx.createDatabaseUrl());
    url = running.url;
  });
  afterAll(() => running?.close());

  it('answers a to-one by its key, and with ?expand as the related object', async () => {
    const tag = (await post('/tags', { name: 'x' })).body;
    const article = (await post('/articles', { title: 'a', tags: [{ id: tag.id }] })).body;
    const note = await post('/notes', { text: 'n', article: { id: article.id } });
    expect(note.status).toBe(201);
    expect((await get(`/notes/${note.body.id}`)).body).toEqual({
      id: note.body.id,
      text: 'n',
      article_id: article.id,
    });
    expect((await get(`/notes/${note.body.id}?expand=article`)).body).toEqual({
      id: note.body.id,
      text: 'n',
      article_id: article.id,
      article: { id: article.id, title: 'a' },
    });
  });

  it('loads a to-many of a list only when expand names it, and refuses a name outside its enum', async () => {
    const plain = await get('/catalogue');
    expect(plain.status).toBe(200);
    expect(plain.body.length).toBeGreaterThan(0);
    expect(plain.body.every((a: object) => !('tags' in a))).toBe(true);
    const expanded = await get('/catalogue?expand=tags');
    expect(expanded.body.every((a: { tags?: unknown }) => Array.isArray(a.tags))).toBe(true);
    const refused = await get('/catalogue?expand=author');
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('query.expand');
  });
});
