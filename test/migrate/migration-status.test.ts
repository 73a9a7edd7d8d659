import { appendFile, copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { Database } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { checkMigrations, migrateUp } from '../../src/migrate/apply-migrations.ts';
import { makeMigration } from '../../src/migrate/make-migration.ts';
import { migrationStatus, modelDrift } from '../../src/migrate/migration-status.ts';
import { resetDatabase } from '../../src/migrate/reset-database.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  fixturePath,
  modelOf,
  removeDir,
  type SpecFixture,
  tempDir,
} from './support/migrate-fixtures.ts';
import { query, rowsOf, schemaOf } from './support/schema-state.ts';

describeEachDialect('migrate status, checksums and reset', (ctx) => {
  let dir: string;
  let migrationsDir: string;
  let url: string;
  let db: Database;

  beforeEach(async () => {
    dir = await tempDir();
    migrationsDir = path.join(dir, 'migrations');
    url = await ctx.createDatabaseUrl();
    db = await openDatabase({ url, model: { tables: [] }, baseDir: dir });
  });
  afterEach(async () => {
    await db.close();
    await removeDir(dir);
  });

  async function make(fixture: SpecFixture, day: number, allowDestructive = false) {
    const made = await makeMigration({
      model: await modelOf(fixture),
      migrationsDir,
      name: fixture,
      specFile: fixturePath(fixture),
      now: new Date(Date.UTC(2025, 0, day)),
      allowDestructive,
    });
    return `${made.id}_${made.name}`;
  }

  const file = (key: string) => path.join(migrationsDir, ctx.dialect, `${key}.sql`);

  it('lists applied migrations with their time, then pending ones', async () => {
    const r1 = await make('library-r1', 1);
    await migrateUp(db, migrationsDir);
    const r2 = await make('library-r2', 2);
    const { migrations } = await migrationStatus(db, migrationsDir);
    expect(migrations).toEqual([
      expect.objectContaining({ key: r1, state: 'applied', edited: false }),
      expect.objectContaining({ key: r2, state: 'pending', edited: false }),
    ]);
    expect(Date.parse(migrations[0]!.appliedAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('shows a migration edited after it was applied, and up and the server refuse to run', async () => {
    const r1 = await make('library-r1', 1);
    await migrateUp(db, migrationsDir);
    await appendFile(file(r1), '--> statement-breakpoint\nCREATE TABLE sneaky (id integer);\n');

    const { migrations } = await migrationStatus(db, migrationsDir);
    expect(migrations[0]).toMatchObject({ key: r1, state: 'applied', edited: true });
    await expect(migrateUp(db, migrationsDir)).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_CHECKSUM',
    });
    await expect(checkMigrations(db, migrationsDir)).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_CHECKSUM',
      message: expect.stringContaining('the server did not start'),
    });

    await copyFile(fixturePath('library-r1'), path.join(dir, 'openapi.yaml'));
    const start = createApp({
      appDir: dir,
      env: {},
      // Nothing is pending: only the checksum stands between this app and serving.
      overrides: { databaseUrl: url, logLevel: 'silent', autoMigrate: false },
    });
    await expect(start).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_CHECKSUM',
      message: expect.stringContaining(path.join('migrations', ctx.dialect, `${r1}.sql`)),
    });
    expect(Object.keys(await schemaOf(db))).not.toContain('sneaky');
  });

  it('shows an applied migration whose file is gone as missing', async () => {
    await make('library-r1', 1);
    const r2 = await make('library-r2', 2);
    await migrateUp(db, migrationsDir);
    await rm(file(r2));
    const { migrations } = await migrationStatus(db, migrationsDir);
    expect(migrations.map((entry) => [entry.key, entry.state])).toEqual([
      [expect.any(String), 'applied'],
      [r2, 'missing'],
    ]);
  });

  it('reset drops every table the migrations created and applies them all again', async () => {
    await make('library-r1', 1);
    await make('library-r7', 2, true);
    await migrateUp(db, migrationsDir);
    await query(db, "INSERT INTO authors (name) VALUES ('Ann')");
    await make('library-r8', 3);
    await migrateUp(db, migrationsDir);
    await query(db, "INSERT INTO volumes (title) VALUES ('Dune')");
    const schema = await schemaOf(db);

    const result = await resetDatabase(db, migrationsDir, { environment: 'development' });
    expect(result.dropped).toEqual(['authors', 'books', 'volumes']);
    expect(result.applied).toHaveLength(3);
    expect(await schemaOf(db)).toEqual(schema);
    expect(await rowsOf(db, schema)).toEqual({ authors: [], volumes: [] });
  });

  it('reset refuses in production unless confirmed, dropping nothing', async () => {
    await make('library-r1', 1);
    await migrateUp(db, migrationsDir);
    await query(db, "INSERT INTO authors (name) VALUES ('Ann')");
    await expect(
      resetDatabase(db, migrationsDir, { environment: 'production' }),
    ).rejects.toMatchObject({ code: 'SPECSTACK_ERR_MIGRATION_RESET_REFUSED' });
    expect(await query(db, 'SELECT name FROM authors')).toEqual([{ name: 'Ann' }]);
    await resetDatabase(db, migrationsDir, { environment: 'production', confirmed: true });
    expect(await query(db, 'SELECT name FROM authors')).toEqual([]);
  });
});

describe('drift', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => removeDir(dir));

  it('reports the statements a make would write while the spec is ahead of the last migration', async () => {
    const migrationsDir = path.join(dir, 'migrations');
    await makeMigration({
      model: await modelOf('library-r1'),
      migrationsDir,
      name: 'create',
      specFile: fixturePath('library-r1'),
    });
    expect(await modelDrift(await modelOf('library-r1'), migrationsDir)).toEqual({
      sqlite: [],
      postgres: [],
    });
    const drift = await modelDrift(await modelOf('library-r2'), migrationsDir);
    expect(drift.sqlite).toEqual(['ALTER TABLE `authors` ADD `bio` text;']);
    expect(drift.postgres).toEqual(['ALTER TABLE "authors" ADD COLUMN "bio" text;']);
  });
});
