import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeMigration } from '../../src/migrate/make-migration.ts';
import {
  filesIn,
  fixturePath,
  modelOf,
  removeDir,
  type SpecFixture,
  tempDir,
} from './support/migrate-fixtures.ts';

describe('migrate make', () => {
  let dir: string;
  let migrationsDir: string;
  beforeEach(async () => {
    dir = await tempDir();
    migrationsDir = path.join(dir, 'migrations');
  });
  afterEach(() => removeDir(dir));

  async function make(fixture: SpecFixture, name: string, now: string, allowDestructive = false) {
    return makeMigration({
      model: await modelOf(fixture),
      migrationsDir,
      name,
      specFile: fixturePath(fixture),
      now: new Date(now),
      allowDestructive,
    });
  }

  it('writes a reviewed SQL file and a snapshot for both dialects from nothing', async () => {
    const made = await make('pets-v1', 'Create pets', '2025-05-06T07:08:09Z');
    expect(made.id).toBe('20250506070809');
    expect(made.name).toBe('create-pets');
    for (const dialect of ['sqlite', 'postgres']) {
      expect(await filesIn(path.join(migrationsDir, dialect))).toEqual([
        '20250506070809.snapshot.json',
        '20250506070809_create-pets.sql',
      ]);
      const sql = await readFile(
        path.join(migrationsDir, dialect, '20250506070809_create-pets.sql'),
        'utf8',
      );
      expect(sql).toMatch(/^-- Migration: create-pets/);
      expect(sql).toContain('-- Created at: 2025-05-06T07:08:09.000Z');
      expect(sql).toContain(
        'Generated from pets-v1.yaml by specstack migrate make; review before applying',
      );
      expect(sql).toMatch(/CREATE TABLE [`"]pets[`"]/);
      const snapshot = JSON.parse(
        await readFile(path.join(migrationsDir, dialect, '20250506070809.snapshot.json'), 'utf8'),
      );
      expect(Object.keys(snapshot.tables).join()).toContain('pets');
    }
    expect(made.files).toHaveLength(4);
  });

  it('refuses with "nothing to migrate" and writes nothing when the model has not changed', async () => {
    await make('pets-v1', 'create-pets', '2025-05-06T07:08:09Z');
    await expect(make('pets-v1', 'again', '2025-05-06T08:00:00Z')).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_NO_CHANGES',
      message: expect.stringContaining('nothing to migrate'),
    });
    for (const dialect of ['sqlite', 'postgres']) {
      expect(await filesIn(path.join(migrationsDir, dialect))).toHaveLength(2);
    }
  });

  it('puts only the change in the next migration', async () => {
    await make('pets-v1', 'create-pets', '2025-05-06T07:08:09Z');
    const made = await make('pets-v2', 'add owners and tags', '2025-05-07T00:00:00Z');
    expect(made.name).toBe('add-owners-and-tags');
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const statements = made.statements[dialect].join('\n');
      expect(statements).toMatch(/CREATE TABLE [`"]owners[`"]/);
      expect(statements).toMatch(/ALTER TABLE [`"]pets[`"] ADD (COLUMN )?[`"]tag[`"]/);
      expect(statements).not.toMatch(/CREATE TABLE [`"]pets[`"]/);
      const sql = await readFile(
        path.join(migrationsDir, dialect, '20250507000000_add-owners-and-tags.sql'),
        'utf8',
      );
      expect(sql).toContain('--> statement-breakpoint');
    }
  });

  it('still writes both dialects when a change touches only one, keeping their ids in step', async () => {
    await make('pets-v2', 'create', '2025-05-06T07:08:09Z');
    const made = await make('pets-v3', 'wider names', '2025-05-07T00:00:00Z');
    expect(made.statements.sqlite).toEqual([]);
    expect(made.statements.postgres.join()).toMatch(/varchar\(200\)/);
    const sqlite = await readFile(
      path.join(migrationsDir, 'sqlite', '20250507000000_wider-names.sql'),
      'utf8',
    );
    expect(sqlite).toContain('No statements');
  });

  it('gives two makes within the same second distinct ids in creation order', async () => {
    const first = await make('pets-v1', 'one', '2025-05-06T07:08:09.100Z');
    const second = await make('pets-v2', 'two', '2025-05-06T07:08:09.600Z');
    expect(second.id > first.id).toBe(true);
    expect(await filesIn(path.join(migrationsDir, 'postgres'))).toEqual([
      `${first.id}.snapshot.json`,
      `${first.id}_one.sql`,
      `${second.id}.snapshot.json`,
      `${second.id}_two.sql`,
    ]);
  });

  it('refuses an empty name before writing anything', async () => {
    await expect(make('pets-v1', ' -- ', '2025-05-06T07:08:09Z')).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_NAME',
    });
    expect(await filesIn(migrationsDir)).toEqual([]);
  });

  it('refuses a migration that drops a table or column unless explicitly allowed', async () => {
    await make('pets-v2', 'create', '2025-05-06T07:08:09Z');
    await expect(make('pets-v1', 'remove owners', '2025-05-07T00:00:00Z')).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_DESTRUCTIVE',
      message: expect.stringMatching(
        /drops table owners.*drops column pets\.tag|drops column pets\.tag.*drops table owners/,
      ),
    });
    expect(await filesIn(path.join(migrationsDir, 'sqlite'))).toHaveLength(2);

    const made = await make('pets-v1', 'remove owners', '2025-05-07T00:00:00Z', true);
    expect(made.destructive.sort()).toEqual(['drops column pets.tag', 'drops table owners']);
    const sql = await readFile(
      path.join(migrationsDir, 'postgres', '20250507000000_remove-owners.sql'),
      'utf8',
    );
    expect(sql).toContain('-- DESTRUCTIVE: this migration drops table owners');
    expect(sql).toMatch(/DROP TABLE "owners"/);
  });
});
