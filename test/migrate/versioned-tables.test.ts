// Turning x-versioned on for a table that already holds rows: the generated migration adds the
// version column on both dialects, every existing row starts at version 1, and updates count on.

import { expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrateUp } from '../../src/migrate/apply-migrations.ts';
import { makeMigration } from '../../src/migrate/make-migration.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  editedSpec,
  makeFixtureMigration,
  modelOf,
  modelOfFile,
} from './support/migrate-fixtures.ts';
import { useMigrateWorkspace } from './support/migrate-workspace.ts';

async function versions(db: Database): Promise<unknown[]> {
  const sql = 'SELECT name, row_version FROM pets ORDER BY id';
  if (db.client.dialect === 'sqlite') return db.client.sqlite.prepare(sql).all();
  return (await db.client.pool.query(sql)).rows;
}

describeEachDialect('migrate make: x-versioned', (ctx) => {
  const ws = useMigrateWorkspace(ctx);

  it('adds the version column to a table with rows, each row at version 1, and updates count from there', async () => {
    await makeFixtureMigration(ws.migrationsDir, 'pets-v1', {
      name: 'create-pets',
      now: new Date('2025-01-01T00:00:00Z'),
    });
    const db = await ws.connect();
    await migrateUp(db, ws.migrationsDir);
    const before = await ws.connect(await modelOf('pets-v1'));
    await before.repository('Pet').insert({ name: 'Rex' });
    await before.repository('Pet').insert({ name: 'Tom' });

    const file = await editedSpec('pets-v1', ws.dir, (schemas) => {
      schemas.Pet['x-versioned'] = true;
    });
    const model = await modelOfFile(file);
    const made = await makeMigration({
      model,
      migrationsDir: ws.migrationsDir,
      specFile: file,
      name: 'version-pets',
      now: new Date('2025-01-02T00:00:00Z'),
    });
    const statements = made.statements[ctx.dialect].join('\n');
    expect(statements).toMatch(
      /ALTER TABLE [`"]pets[`"] ADD (COLUMN )?[`"]row_version[`"] integer DEFAULT 1 NOT NULL/,
    );
    expect(await migrateUp(db, ws.migrationsDir)).toEqual({ applied: [`${made.id}_${made.name}`] });
    expect(await versions(db)).toEqual([
      { name: 'Rex', row_version: 1 },
      { name: 'Tom', row_version: 1 },
    ]);

    const app = await ws.connect(model);
    const pets = app.repository('Pet');
    const rex = (await pets.findByKey(1))!;
    await pets.update(rex.id as number, { name: 'Rex II' });
    await pets.replace(rex.id as number, { name: 'Rex III' });
    const created = await pets.insert({ name: 'Kit' });
    expect(await versions(db)).toEqual([
      { name: 'Rex III', row_version: 3 },
      { name: 'Tom', row_version: 1 },
      { name: 'Kit', row_version: 1 },
    ]);
    expect(created).toMatchObject({ name: 'Kit', row_version: 1 });
  });
});
