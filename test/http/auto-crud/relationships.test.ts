import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.ts';
import { type RunningApp, request, startFixtureApp } from '../../support/app-server.ts';
import { describeEachDialect } from '../../support/databases.ts';

const APP = fileURLToPath(new URL('../../fixtures/apps/relationships/', import.meta.url));

/** Counts the list queries issued through `db.repository(...)` while `work` runs. */
async function countingLists(db: Database, work: () => Promise<void>): Promise<number> {
  let count = 0;
  const original = db.repository.bind(db);
  const patched = db as { repository: Database['repository'] };
  patched.repository = ((name: string) => {
    const repository = original(name);
    return {
      ...repository,
      table: repository.table,
      list: (query: Parameters<typeof repository.list>[0]) => {
        count += 1;
        return repository.list(query);
      },
    };
  }) as Database['repository'];
  try {
    await work();
  } finally {
    patched.repository = original;
  }
  return count;
}

describeEachDialect('auto-CRUD relationships', (ctx) => {
  let running: RunningApp;
  let url: string;
  const post = (path: string, json: unknown) => request(url, 'POST', path, { json });
  const get = (path: string) => request(url, 'GET', path);

  beforeAll(async () => {
    running = await startFixtureApp(APP, await ctx.createDatabaseUrl());
    url = `${running.url}`;
    expect((await post('/divisions', { id: 1, name: 'research' })).status).toBe(201);
    expect((await post('/divisions', { id: 2, name: 'sales' })).status).toBe(201);
    await post('/projects', { id: 1, code: 'apollo' });
    await post('/projects', { id: 2, code: 'gemini' });
  });
  afterAll(() => running?.close());

  it('writes a many-to-one by the related key and reads it back nested', async () => {
    const created = await post('/employees', { name: 'grace', division: { id: 1 } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: created.body.id,
      name: 'grace',
      division: { id: 1, name: 'research' },
      projects: [],
    });
    const read = await get(`/employees/${created.body.id}`);
    expect(read.body.division).toEqual({ id: 1, name: 'research' });
    expect(read.body).not.toHaveProperty('division_id');
  });

  it('moves a many-to-one with PATCH by key', async () => {
    const created = await post('/employees', { name: 'alan', division: { id: 1 } });
    const moved = await request(url, 'PATCH', `/employees/${created.body.id}`, {
      json: { name: 'alan', division: { id: 2 } },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.division).toEqual({ id: 2, name: 'sales' });
  });

  it('refuses an unknown related key with a 409 in the spec’s Error shape, writing nothing', async () => {
    const before = (await get('/employees?limit=100')).body.length;
    const refused = await post('/employees', { name: 'nobody', division: { id: 999 } });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ code: 409, message: expect.any(String) });
    expect((await get('/employees?limit=100')).body.length).toBe(before);
  });

  it('reads a one-to-many as a nested list of the target’s readable fields', async () => {
    await post('/desks', { floor: 3, divisions_id: 2 });
    await post('/desks', { floor: 4, divisions_id: 2 });
    const division = await get('/divisions/2');
    expect(division.body).toEqual({
      id: 2,
      name: 'sales',
      employees: expect.any(Array),
      desks: [
        { id: expect.any(Number), floor: 3 },
        { id: expect.any(Number), floor: 4 },
      ],
    });
    expect((await get('/divisions/1')).body.desks).toEqual([]);
  });

  it('reads a backref the target declares in a shape of its own', async () => {
    await post('/divisions', { id: 4, name: 'legal' });
    const created = await post('/employees', { name: 'ruth', division: { id: 4 } });
    const division = await get('/divisions/4');
    expect(division.body.employees).toEqual([{ id: created.body.id, name: 'ruth' }]);
  });

  it('reads a many-to-many through its association table', async () => {
    const created = await post('/employees', { name: 'linus', division: { id: 1 } });
    const links = running.app.db.repository('employee_project');
    await links.insert({ employees_id: created.body.id, projects_id: 1 });
    await links.insert({ employees_id: created.body.id, projects_id: 2 });
    const read = await get(`/employees/${created.body.id}`);
    expect(read.body.projects).toEqual([
      { id: 1, code: 'apollo' },
      { id: 2, code: 'gemini' },
    ]);
  });

  it('loads the relations of a list in a bounded number of queries, whatever its length', async () => {
    for (let i = 0; i < 12; i += 1)
      await post('/employees', { name: `e${i}`, division: { id: (i % 2) + 1 } });
    let rows: { division: unknown; projects: unknown }[] = [];
    const queries = await countingLists(running.app.db, async () => {
      rows = (await get('/employees?limit=100')).body;
    });
    expect(rows.length).toBeGreaterThan(12);
    expect(
      rows.every((row) => typeof row.division === 'object' && Array.isArray(row.projects)),
    ).toBe(true);
    // one IN query for the divisions, two (links, then projects) for the many-to-many
    expect(queries).toBe(3);
  });

  it('deletes follow ondelete: removing a division removes its employees (cascade)', async () => {
    await post('/divisions', { id: 3, name: 'temp' });
    const created = await post('/employees', { name: 'temp', division: { id: 3 } });
    expect((await request(url, 'DELETE', '/divisions/3')).status).toBe(204);
    expect((await get(`/employees/${created.body.id}`)).status).toBe(404);
  });
});
