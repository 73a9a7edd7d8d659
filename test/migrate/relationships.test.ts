import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrateUp } from '../../src/migrate/apply-migrations.ts';
import { makeMigration } from '../../src/migrate/make-migration.ts';
import { describeEachDialect } from '../support/databases.ts';
import { modelOfFile } from './support/migrate-fixtures.ts';
import { useMigrateWorkspace } from './support/migrate-workspace.ts';

const SPEC = fileURLToPath(new URL('../fixtures/relationships/openapi.yaml', import.meta.url));

describeEachDialect('migrations of relationships', (ctx) => {
  const ws = useMigrateWorkspace(ctx);

  async function migrated(): Promise<Database> {
    const model = await modelOfFile(SPEC);
    await makeMigration({ model, migrationsDir: ws.migrationsDir, name: 'init', specFile: SPEC });
    const db = await ws.connect(model);
    await migrateUp(db, ws.migrationsDir);
    return db;
  }

  async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
    return promise.then(
      () => undefined,
      (error: { code?: string }) => error.code,
    );
  }

  it('creates every table, with the foreign keys the relationships imply', async () => {
    const db = await migrated();
    await db.repository('Division').insert({ id: 1, name: 'research' });
    await db.repository('Mentor').insert({ id: 1, name: 'ada' });
    await db.repository('Project').insert({ id: 1, code: 'apollo' });
    const employee = await db
      .repository('Employee')
      .insert({ id: 1, name: 'grace', division_id: 1, mentor_id: 1 });
    expect(employee).toMatchObject({ division_id: 1, mentor_id: 1 });
    await db.repository('Desk').insert({ id: 1, floor: 2, divisions_id: 1 });
    await db.repository('employee_project').insert({ employees_id: 1, projects_id: 1 });
  });

  it('refuses a foreign key to a row that does not exist', async () => {
    const db = await migrated();
    await db.repository('Division').insert({ id: 1, name: 'research' });
    const employees = db.repository('Employee');
    expect(await codeOf(employees.insert({ id: 1, name: 'x', division_id: 9 }))).toBe(
      'SPECSTACK_ERR_FOREIGN_KEY_VIOLATION',
    );
    expect(await codeOf(employees.insert({ id: 2, name: 'y' }))).toBe(
      'SPECSTACK_ERR_NOT_NULL_VIOLATION',
    );
    const links = db.repository('employee_project');
    expect(await codeOf(links.insert({ employees_id: 5, projects_id: 5 }))).toBe(
      'SPECSTACK_ERR_FOREIGN_KEY_VIOLATION',
    );
  });

  it('keeps a one-to-one foreign key unique', async () => {
    const db = await migrated();
    await db.repository('Division').insert({ id: 1, name: 'research' });
    await db.repository('Mentor').insert({ id: 1, name: 'ada' });
    const employees = db.repository('Employee');
    await employees.insert({ id: 1, name: 'a', division_id: 1, mentor_id: 1 });
    expect(await codeOf(employees.insert({ id: 2, name: 'b', division_id: 1, mentor_id: 1 }))).toBe(
      'SPECSTACK_ERR_UNIQUE_VIOLATION',
    );
  });

  it('follows ondelete: cascade removes, set null clears, association links go with either side', async () => {
    const db = await migrated();
    await db.repository('Division').insert({ id: 1, name: 'research' });
    await db.repository('Division').insert({ id: 2, name: 'sales' });
    await db.repository('Mentor').insert({ id: 1, name: 'ada' });
    await db.repository('Project').insert({ id: 1, code: 'apollo' });
    const employees = db.repository('Employee');
    await employees.insert({ id: 1, name: 'a', division_id: 1 });
    await employees.insert({ id: 2, name: 'b', division_id: 2, mentor_id: 1 });
    const links = db.repository('employee_project');
    await links.insert({ employees_id: 2, projects_id: 1 });

    await db.repository('Division').remove(1);
    expect(await employees.findByKey(1)).toBeUndefined();
    await db.repository('Mentor').remove(1);
    expect(await employees.findByKey(2)).toMatchObject({ mentor_id: null });
    await db.repository('Project').remove(1);
    expect((await links.list({ filters: {}, sort: [], limit: 10 })).rows).toEqual([]);
    // no ondelete: the database refuses to orphan the desk
    await db.repository('Desk').insert({ id: 1, divisions_id: 2 });
    expect(await codeOf(db.repository('Division').remove(2))).toBe(
      'SPECSTACK_ERR_FOREIGN_KEY_VIOLATION',
    );
  });

  it('writes the foreign keys into both dialects’ migration SQL', async () => {
    const model = await modelOfFile(SPEC);
    await makeMigration({ model, migrationsDir: ws.migrationsDir, name: 'init', specFile: SPEC });
    const { readdir, readFile } = await import('node:fs/promises');
    const dir = path.join(ws.migrationsDir, ctx.dialect);
    const up = (await readdir(dir)).find((f) => f.endsWith('.sql') && !f.endsWith('.down.sql'))!;
    const sql = await readFile(path.join(dir, up), 'utf8');
    expect(sql).toMatch(/employee_project/);
    expect(sql).toMatch(
      /REFERENCES\s+("public"\.)?[`"]divisions[`"]\s*\([`"]id[`"]\)(\s*ON UPDATE no action)?\s*ON DELETE cascade/i,
    );
    expect(sql).toMatch(/ON DELETE set null/i);
  });
});
