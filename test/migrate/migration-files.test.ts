import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  listMigrations,
  migrationChecksum,
  nextMigrationId,
  renderMigration,
  sanitizeMigrationName,
  splitStatements,
} from '../../src/migrate/migration-files.ts';

describe('migration names', () => {
  it('turns free text and camelCase into kebab-case', () => {
    expect(sanitizeMigrationName('Add owners')).toBe('add-owners');
    expect(sanitizeMigrationName('addOwnerEmail')).toBe('add-owner-email');
    expect(sanitizeMigrationName('  --Drop__legacy tables!! ')).toBe('drop-legacy-tables');
    expect(sanitizeMigrationName('café')).toBe('cafe');
  });

  it.each(['', '   ', '---', '!!!'])('refuses %j with a clear error', (name) => {
    expect(() => sanitizeMigrationName(name)).toThrowError(
      expect.objectContaining({
        code: 'SPECSTACK_ERR_MIGRATION_NAME',
        message: expect.stringContaining('needs a name'),
      }),
    );
  });
});

describe('migration ids', () => {
  it('is the UTC second of creation', () => {
    expect(nextMigrationId(new Date('2025-03-04T05:06:07.890Z'), [])).toBe('20250304050607');
  });

  it('never collides with, and always sorts after, an id made in the same second', () => {
    const now = new Date('2025-03-04T05:06:07.100Z');
    const first = nextMigrationId(now, []);
    const second = nextMigrationId(new Date('2025-03-04T05:06:07.900Z'), [first]);
    const third = nextMigrationId(now, [first, second]);
    expect(new Set([first, second, third]).size).toBe(3);
    expect([third, first, second].sort()).toEqual([first, second, third]);
    expect(nextMigrationId(new Date('2025-12-31T23:59:59Z'), ['20251231235959'])).toBe(
      '20260101000000',
    );
  });
});

describe('migration files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'specstack-migration-files-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists a dialect folder oldest first, ignoring snapshots and other files', async () => {
    const sqliteDir = path.join(dir, 'migrations', 'sqlite');
    await mkdir(sqliteDir, { recursive: true });
    for (const file of [
      '20250102000000_second.sql',
      '20250101000000_first.sql',
      '20250101000000.snapshot.json',
      'README.md',
      'notes.sql',
    ]) {
      await writeFile(path.join(sqliteDir, file), '');
    }
    const files = await listMigrations(path.join(dir, 'migrations'), 'sqlite');
    expect(files.map((file) => file.key)).toEqual([
      '20250101000000_first',
      '20250102000000_second',
    ]);
    expect(files[0]?.displayPath).toBe(
      path.join('migrations', 'sqlite', '20250101000000_first.sql'),
    );
    expect(await listMigrations(path.join(dir, 'migrations'), 'postgres')).toEqual([]);
    expect(await readdir(path.join(dir, 'migrations'))).toEqual(['sqlite']);
  });

  it('refuses two files with the same id', async () => {
    const sqliteDir = path.join(dir, 'sqlite');
    await mkdir(sqliteDir, { recursive: true });
    await writeFile(path.join(sqliteDir, '20250101000000_one.sql'), '');
    await writeFile(path.join(sqliteDir, '20250101000000_other.sql'), '');
    await expect(listMigrations(dir, 'sqlite')).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_INVALID',
      message: expect.stringContaining('share the id 20250101000000'),
    });
  });

  it('renders a header and statements that split back into the same statements', () => {
    const statements = ['CREATE TABLE a (id integer);\n', 'CREATE INDEX a_id ON a (id);'];
    const sql = renderMigration({
      name: 'add-a',
      dialect: 'sqlite',
      createdAt: new Date('2025-01-01T00:00:00Z'),
      specName: 'openapi.yaml',
      statements,
    });
    expect(sql.split('\n').slice(0, 3)).toEqual([
      '-- Migration: add-a (sqlite)',
      '-- Created at: 2025-01-01T00:00:00.000Z',
      '-- Generated from openapi.yaml by specstack migrate make; review before applying.',
    ]);
    expect(splitStatements(sql)).toEqual([
      'CREATE TABLE a (id integer);',
      'CREATE INDEX a_id ON a (id);',
    ]);
  });

  it('gives the same checksum whatever the line endings', () => {
    expect(migrationChecksum('a;\r\nb;\r\n')).toBe(migrationChecksum('a;\nb;\n'));
    expect(migrationChecksum('a;\nb;\n')).not.toBe(migrationChecksum('a;\nc;\n'));
  });
});
