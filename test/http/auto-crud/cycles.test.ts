// Two x-tablename schemas that $ref each other through relationships, and one that refers to
// itself: the spec loads, the migration creates both foreign keys (the tables reference each
// other), answers nest one level, writes go by key, on both dialects.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestView, responseView } from '../../../src/http/schema-views.ts';
import { createValidators } from '../../../src/http/validator.ts';
import { deriveModel } from '../../../src/model/derive-model.ts';
import { loadSpec } from '../../../src/spec/index.ts';
import { prepareFixtureApp, type RunningApp, request, startApp } from '../../support/app-server.ts';
import { describeEachDialect } from '../../support/databases.ts';

const APP = fileURLToPath(new URL('../../fixtures/apps/cycles/', import.meta.url));
const SPEC = path.join(APP, 'openapi.yaml');

describe('a spec whose table schemas refer to each other', () => {
  it('loads, and derives one foreign key per direction', async () => {
    const spec = await loadSpec(SPEC);
    const tables = deriveModel(spec.document, spec.file).tables;
    const fks = tables.flatMap((t) =>
      t.columns
        .filter((c) => c.foreignKey)
        .map((c) => `${t.tableName}.${c.name} -> ${c.foreignKey!.table}.${c.foreignKey!.column}`),
    );
    expect(fks.sort()).toEqual([
      'divisions.head_id -> employees.id',
      'employees.division_id -> divisions.id',
      'employees.manager_id -> employees.id',
    ]);
    // Division.employees is the backref of Employee.division, not a second foreign key.
    expect(tables.find((t) => t.tableName === 'divisions')?.relationships).toMatchObject([
      { property: 'employees', kind: 'one-to-many', foreignKeyColumn: 'division_id' },
      { property: 'head', kind: 'many-to-one', foreignKeyColumn: 'head_id' },
    ]);
  });

  it('views a related object without its own relationships, so the views are finite', async () => {
    const spec = await loadSpec(SPEC);
    const employee = spec.document.components!.schemas!.Employee as Record<string, unknown>;
    const response = responseView(employee) as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    expect(Object.keys(response.properties)).toEqual(['id', 'name', 'division', 'manager']);
    expect(Object.keys(response.properties.division!.properties!)).toEqual(['id', 'name']);
    expect(Object.keys(response.properties.manager!.properties!)).toEqual(['id', 'name']);
    // Both compile: ajv for requests, and JSON.stringify shows no cycle is left.
    expect(() => JSON.stringify(response)).not.toThrow();
    const validate = createValidators().exact.compile(requestView(employee));
    // A related object is written by its key, a readOnly generated id included.
    expect(validate({ name: 'a', division: { id: 1 }, manager: { id: 2 } })).toBe(true);
    expect(validate({ id: 3, name: 'a', division: { id: 1 } })).toBe(false);
  });

  it('still refuses a cycle that no relationship breaks', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'specstack-cycle-'));
    try {
      writeFileSync(
        path.join(dir, 'openapi.yaml'),
        [
          'openapi: 3.1.0',
          "info: { title: t, version: '1' }",
          'paths: {}',
          'components:',
          '  schemas:',
          '    Node:',
          '      type: object',
          '      x-tablename: nodes',
          '      properties:',
          '        id: { type: integer, x-primary-key: true }',
          "        tree: { x-json: true, type: object, properties: { child: { $ref: '#/components/schemas/Node' } } }",
        ].join('\n'),
      );
      await expect(loadSpec(path.join(dir, 'openapi.yaml'))).rejects.toMatchObject({
        code: 'SPECSTACK_ERR_SPEC_UNSUPPORTED',
        pointer: 'openapi.yaml#/components/schemas/Node/properties/tree/properties/child',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeEachDialect('auto-CRUD over schemas that refer to each other', (ctx) => {
  let running: RunningApp;
  let fixture: Awaited<ReturnType<typeof prepareFixtureApp>>;
  let url: string;
  const post = (p: string, json: unknown) => request(url, 'POST', p, { json });
  const patch = (p: string, json: unknown) => request(url, 'PATCH', p, { json });
  const get = (p: string) => request(url, 'GET', p);

  beforeAll(async () => {
    fixture = await prepareFixtureApp(APP);
    running = await startApp(fixture.dir, await ctx.createDatabaseUrl());
    url = running.url;
  });
  afterAll(async () => {
    await running?.close();
    fixture?.remove();
  });

  it('writes both foreign keys into the migration of each dialect', () => {
    const dir = path.join(fixture.dir, 'migrations', ctx.dialect);
    const file = readdirSync(dir).find((name) => /_init\.sql$/.test(name))!;
    const sql = readFileSync(path.join(dir, file), 'utf8').replaceAll('`', '"');
    const fk = (column: string, table: string, onDelete: string) =>
      new RegExp(
        `FOREIGN KEY \\("${column}"\\) REFERENCES "(public"\\.")?${table}"\\("id"\\)[^\\n]*ON DELETE ${onDelete}`,
      );
    expect(sql).toMatch(fk('division_id', 'divisions', 'cascade'));
    expect(sql).toMatch(fk('manager_id', 'employees', 'set null'));
    expect(sql).toMatch(fk('head_id', 'employees', 'set null'));
  });

  it('writes related objects by key and reads them back one level deep', async () => {
    const research = await post('/divisions', { name: 'research' });
    expect(research.status).toBe(201);
    expect(research.body).toEqual({ id: 1, name: 'research', employees: [] });
    const ada = await post('/employees', { name: 'ada', division: { id: 1 } });
    expect(ada.status).toBe(201);
    expect(ada.body).toEqual({
      id: ada.body.id,
      name: 'ada',
      division: { id: 1, name: 'research' },
    });
    const grace = await post('/employees', {
      name: 'grace',
      division: { id: 1 },
      manager: { id: ada.body.id },
    });
    expect(grace.body.manager).toEqual({ id: ada.body.id, name: 'ada' });

    const headed = await patch('/divisions/1', { name: 'research', head: { id: ada.body.id } });
    expect(headed.status).toBe(200);
    const division = await get('/divisions/1');
    expect(division.body).toEqual({
      id: 1,
      name: 'research',
      head: { id: ada.body.id, name: 'ada' },
      employees: [
        { id: ada.body.id, name: 'ada' },
        { id: grace.body.id, name: 'grace' },
      ],
    });
    const read = await get(`/employees/${grace.body.id}`);
    expect(read.body).toEqual({
      id: grace.body.id,
      name: 'grace',
      division: { id: 1, name: 'research' },
      manager: { id: ada.body.id, name: 'ada' },
    });
  });

  it('refuses an unknown key with 409 and a related object without its key with 400', async () => {
    const unknown = await post('/employees', { name: 'x', division: { id: 99 } });
    expect(unknown.status).toBe(409);
    expect(unknown.body).toEqual({
      code: 'SPECSTACK_ERR_FOREIGN_KEY_VIOLATION',
      message: expect.any(String),
    });
    const keyless = await post('/employees', { name: 'x', division: { name: 'research' } });
    expect(keyless.status).toBe(400);
    expect(keyless.body.message).toContain('body.division.id');
  });

  it('follows ondelete across the cycle: set null on the head, cascade to the employees', async () => {
    const division = await get('/divisions/1');
    const head = division.body.head.id;
    expect((await request(url, 'DELETE', `/employees/${head}`)).status).toBe(204);
    const after = await get('/divisions/1');
    expect(after.body).not.toHaveProperty('head');
    expect(after.body.employees.map((e: { id: number }) => e.id)).not.toContain(head);
    const [left] = after.body.employees;
    expect((await get(`/employees/${left.id}`)).body).not.toHaveProperty('manager');
    expect((await request(url, 'DELETE', '/divisions/1')).status).toBe(204);
    expect((await get(`/employees/${left.id}`)).status).toBe(404);
  });
});
