import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeMigration } from '../../src/migrate/make-migration.ts';
import {
  type EditableSchemas,
  editedSpec,
  filesIn,
  makeFixtureMigration,
  modelOfFile,
  type SpecFixture,
} from './support/migrate-fixtures.ts';
import { useMigrationsFolder } from './support/migrate-workspace.ts';

describe('migrate make', () => {
  const folder = useMigrationsFolder();

  function make(fixture: SpecFixture, name: string, now: string, allowDestructive = false) {
    return makeFixtureMigration(folder.migrationsDir, fixture, {
      name,
      now: new Date(now),
      allowDestructive,
    });
  }

  it('writes a reviewed SQL file and a snapshot for both dialects from nothing', async () => {
    const made = await make('pets-v1', 'Create pets', '2025-05-06T07:08:09Z');
    expect(made.id).toBe('20250506070809');
    expect(made.name).toBe('create-pets');
    for (const dialect of ['sqlite', 'postgres']) {
      expect(await filesIn(path.join(folder.migrationsDir, dialect))).toEqual([
        '20250506070809.snapshot.json',
        '20250506070809_create-pets.down.sql',
        '20250506070809_create-pets.sql',
      ]);
      const sql = await readFile(
        path.join(folder.migrationsDir, dialect, '20250506070809_create-pets.sql'),
        'utf8',
      );
      expect(sql).toMatch(/^-- Migration: create-pets/);
      expect(sql).toContain('-- Created at: 2025-05-06T07:08:09.000Z');
      expect(sql).toContain(
        'Generated from pets-v1.yaml by specstack migrate make; review before applying',
      );
      expect(sql).toMatch(/CREATE TABLE [`"]pets[`"]/);
      const snapshot = JSON.parse(
        await readFile(
          path.join(folder.migrationsDir, dialect, '20250506070809.snapshot.json'),
          'utf8',
        ),
      );
      expect(Object.keys(snapshot.tables).join()).toContain('pets');
    }
    expect(made.files).toHaveLength(6);
  });

  it('refuses with "nothing to migrate" and writes nothing when the model has not changed', async () => {
    await make('pets-v1', 'create-pets', '2025-05-06T07:08:09Z');
    await expect(make('pets-v1', 'again', '2025-05-06T08:00:00Z')).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_NO_CHANGES',
      message: expect.stringContaining('nothing to migrate'),
    });
    for (const dialect of ['sqlite', 'postgres']) {
      expect(await filesIn(path.join(folder.migrationsDir, dialect))).toHaveLength(3);
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
        path.join(folder.migrationsDir, dialect, '20250507000000_add-owners-and-tags.sql'),
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
      path.join(folder.migrationsDir, 'sqlite', '20250507000000_wider-names.sql'),
      'utf8',
    );
    expect(sqlite).toContain('No statements');
  });

  it('gives two makes within the same second distinct ids in creation order', async () => {
    const first = await make('pets-v1', 'one', '2025-05-06T07:08:09.100Z');
    const second = await make('pets-v2', 'two', '2025-05-06T07:08:09.600Z');
    expect(second.id > first.id).toBe(true);
    expect(await filesIn(path.join(folder.migrationsDir, 'postgres'))).toEqual([
      `${first.id}.snapshot.json`,
      `${first.id}_one.down.sql`,
      `${first.id}_one.sql`,
      `${second.id}.snapshot.json`,
      `${second.id}_two.down.sql`,
      `${second.id}_two.sql`,
    ]);
  });

  it('refuses an empty name before writing anything', async () => {
    await expect(make('pets-v1', ' -- ', '2025-05-06T07:08:09Z')).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_NAME',
    });
    expect(await filesIn(folder.migrationsDir)).toEqual([]);
  });

  it('refuses a migration that drops a table or column unless explicitly allowed', async () => {
    await make('pets-v2', 'create', '2025-05-06T07:08:09Z');
    await expect(make('pets-v1', 'remove owners', '2025-05-07T00:00:00Z')).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_DESTRUCTIVE',
      message: expect.stringMatching(
        /drops table owners.*drops column pets\.tag|drops column pets\.tag.*drops table owners/,
      ),
    });
    expect(await filesIn(path.join(folder.migrationsDir, 'sqlite'))).toHaveLength(3);

    const made = await make('pets-v1', 'remove owners', '2025-05-07T00:00:00Z', true);
    expect(made.destructive.sort()).toEqual(['drops column pets.tag', 'drops table owners']);
    const sql = await readFile(
      path.join(folder.migrationsDir, 'postgres', '20250507000000_remove-owners.sql'),
      'utf8',
    );
    expect(sql).toContain('-- DESTRUCTIVE: this migration drops table owners');
    expect(sql).toMatch(/DROP TABLE "owners"/);
  });

  async function makeFrom(file: string, name: string, now: string, allowDestructive = false) {
    return makeMigration({
      model: await modelOfFile(file),
      migrationsDir: folder.migrationsDir,
      name,
      specFile: file,
      now: new Date(now),
      allowDestructive,
    });
  }

  async function migrationText(dialect: string, key: string, down = false): Promise<string> {
    const file = path.join(folder.migrationsDir, dialect, `${key}${down ? '.down' : ''}.sql`);
    return readFile(file, 'utf8');
  }

  it('writes a down file that undoes each migration', async () => {
    const first = await make('library-r1', 'create library', '2025-05-01T00:00:00Z');
    const second = await make('library-r2', 'add bio', '2025-05-02T00:00:00Z');
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const down = await migrationText(dialect, `${first.id}_create-library`, true);
      expect(down).toMatch(/^-- Undoes migration: create-library/);
      expect(down).toMatch(/DROP TABLE [`"]authors[`"]/);
      expect(down).toMatch(/DROP TABLE [`"]books[`"]/);
      expect(second.downStatements[dialect]).toEqual([
        expect.stringMatching(/ALTER TABLE [`"]authors[`"] DROP COLUMN [`"]bio[`"]/),
      ]);
    }
  });

  it('renames a column declared with x-renamed-from instead of dropping it, and is not destructive', async () => {
    await make('library-r5', 'create', '2025-05-01T00:00:00Z');
    const made = await make('library-r6', 'rename bio', '2025-05-02T00:00:00Z');
    expect(made.destructive).toEqual([]);
    expect(made.renames).toEqual(['renames column authors.bio to biography']);
    expect(made.statements.sqlite).toEqual([
      'ALTER TABLE `authors` RENAME COLUMN `bio` TO `biography`;',
    ]);
    expect(made.statements.postgres).toEqual([
      'ALTER TABLE "authors" RENAME COLUMN "bio" TO "biography";',
    ]);
    expect(made.downStatements.postgres).toEqual([
      'ALTER TABLE "authors" RENAME COLUMN "biography" TO "bio";',
    ]);
    expect(await migrationText('sqlite', `${made.id}_rename-bio`)).toContain(
      '-- RENAME: this migration renames column authors.bio to biography',
    );
  });

  it('renames a table declared with x-renamed-from and keeps its rows', async () => {
    await make('library-r7', 'create', '2025-05-01T00:00:00Z');
    const made = await make('library-r8', 'rename books', '2025-05-02T00:00:00Z');
    expect(made.destructive).toEqual([]);
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const up = made.statements[dialect].join('\n');
      expect(up).toMatch(/^ALTER TABLE [`"]books[`"] RENAME TO [`"]volumes[`"];/);
      expect(up).not.toMatch(/DROP TABLE [`"]books[`"]|CREATE TABLE [`"]volumes[`"]/);
      expect(made.downStatements[dialect].at(-1)).toMatch(
        /^ALTER TABLE [`"]volumes[`"] RENAME TO [`"]books[`"];$/,
      );
    }
  });

  it('ignores an x-renamed-from already carried out by an earlier migration', async () => {
    await make('library-r5', 'create', '2025-05-01T00:00:00Z');
    await make('library-r6', 'rename bio', '2025-05-02T00:00:00Z');
    await expect(make('library-r6', 'again', '2025-05-03T00:00:00Z')).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_NO_CHANGES',
    });
  });

  it('refuses an x-renamed-from whose old and new columns both exist, naming the pointer', async () => {
    await make('library-r2', 'create', '2025-05-01T00:00:00Z');
    const file = await editedSpec('library-r2', folder.dir, (schemas) => {
      schemas.Author.properties.name['x-renamed-from'] = 'bio';
      delete schemas.Author.properties.bio;
      schemas.Author.properties.title = { type: 'string', 'x-renamed-from': 'name' };
    });
    await expect(makeFrom(file, 'confused', '2025-05-02T00:00:00Z')).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MODEL_INVALID',
      pointer: expect.stringMatching(
        /#\/components\/schemas\/Author\/properties\/name\/x-renamed-from$/,
      ),
    });
  });

  it.each([
    [
      'a text column turned integer',
      (schemas: EditableSchemas) => {
        schemas.Author.properties.bio = { type: ['integer', 'null'] };
      },
      'changes column authors.bio from text to integer',
      'existing values may not fit',
    ],
    [
      'a shorter maxLength (PostgreSQL varchar)',
      (schemas: EditableSchemas) => {
        schemas.Author.properties.name.maxLength = 50;
      },
      'changes column authors.name from varchar(200) to varchar(50)',
      'existing values may not fit',
    ],
    [
      'NOT NULL imposed on an existing column',
      (schemas: EditableSchemas) => {
        schemas.Author.properties.bio = { type: 'string' };
        schemas.Author.required = ['name', 'bio'];
      },
      'makes column authors.bio NOT NULL',
      'existing rows with NULL',
    ],
    [
      'a required column with no default added to an existing table',
      (schemas: EditableSchemas) => {
        schemas.Book.properties.pages = { type: 'integer' };
        schemas.Book.required = ['title', 'pages'];
      },
      'adds NOT NULL column books.pages with no default to an existing table',
      'give the property a default or make it nullable',
    ],
  ])('refuses %s unless allowed, and marks it in the file', async (_title, edit, change, hint) => {
    await make('library-r2', 'create', '2025-05-01T00:00:00Z');
    const file = await editedSpec('library-r2', folder.dir, edit);
    await expect(makeFrom(file, 'risky', '2025-05-02T00:00:00Z')).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_DESTRUCTIVE',
      message: expect.stringContaining(`${change}: `),
    });
    await expect(makeFrom(file, 'risky', '2025-05-02T00:00:00Z')).rejects.toThrow(hint);
    expect(await filesIn(path.join(folder.migrationsDir, 'postgres'))).toHaveLength(3);

    const made = await makeFrom(file, 'risky', '2025-05-02T00:00:00Z', true);
    expect(made.destructive).toEqual([change]);
    expect(await migrationText('postgres', `${made.id}_risky`)).toContain(
      `-- DESTRUCTIVE: this migration ${change}`,
    );
  });

  it('accepts a required column with a default, and wider types, as safe', async () => {
    await make('library-r2', 'create', '2025-05-01T00:00:00Z');
    const file = await editedSpec('library-r3', folder.dir, (schemas) => {
      schemas.Author.properties.name.maxLength = 400;
    });
    const made = await makeFrom(file, 'safe', '2025-05-02T00:00:00Z');
    expect(made.destructive).toEqual([]);
    expect(made.statements.postgres.join('\n')).toContain(`DEFAULT 'unknown' NOT NULL`);
    expect(made.statements.postgres.join('\n')).toMatch(/varchar\(400\)/);
  });

  it('writes empty files and the unchanged snapshot for a hand-written migration', async () => {
    const first = await make('library-r1', 'create', '2025-05-01T00:00:00Z');
    const made = await makeFixtureMigration(folder.migrationsDir, 'library-r2', {
      name: 'backfill names',
      now: new Date('2025-05-02T00:00:00Z'),
      empty: true,
    });
    expect(made.statements).toEqual({ sqlite: [], postgres: [] });
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const up = await migrationText(dialect, `${made.id}_backfill-names`);
      expect(up).toContain('-- Write the statements below');
      expect(await migrationText(dialect, `${made.id}_backfill-names`, true)).toContain(
        '-- Write the statements that undo this migration below',
      );
      const read = async (id: string) =>
        JSON.parse(
          await readFile(path.join(folder.migrationsDir, dialect, `${id}.snapshot.json`), 'utf8'),
        );
      const [before, after] = [await read(first.id), await read(made.id)];
      expect(after.tables).toEqual(before.tables);
      expect(after.prevId).toBe(before.id);
    }
    // The spec change is still to be made: the next make diffs from the same point.
    const next = await make('library-r2', 'add bio', '2025-05-03T00:00:00Z');
    expect(next.statements.sqlite).toEqual(['ALTER TABLE `authors` ADD `bio` text;']);
  });
});
