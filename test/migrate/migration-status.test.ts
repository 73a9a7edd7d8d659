import { appendFile, copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { Database } from '../../src/db/database.ts';
import { checkMigrations, migrateUp } from '../../src/migrate/apply-migrations.ts';
import { migrationStatus, modelDrift } from '../../src/migrate/migration-status.ts';
import { resetDatabase } from '../../src/migrate/reset-database.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  fixturePath,
  januaryDay,
  makeFixtureMigration,
  migrationKey,
  modelOf,
  type SpecFixture,
} from './support/migrate-fixtures.ts';
import { useMigrateWorkspace, useMigrationsFolder } from './support/migrate-workspace.ts';
import { query, rowsOf, schemaOf } from './support/schema-state.ts';

describeEachDialect('migrate status, checksums and reset', (ctx) => {
  const ws = useMigrateWorkspace(ctx);
  let db: Database;
  beforeEach(async () => {
    db = await ws.connect();
  });

  async function make(fixture: SpecFixture, day: number, allowDestructive = false) {
    const made = await makeFixtureMigration(ws.migrationsDir, fixture, {
      now: januaryDay(day),
      allowDestructive,
    });
    return migrationKey(made);
  }

  const file = (key: string) => path.join(ws.migrationsDir, ctx.dialect, `${key}.sql`);

  it('lists applied migrations with their time, then pending ones', async () => {
    const r1 = await make('library-r1', 1);
    await migrateUp(db, ws.migrationsDir);
    const r2 = await make('library-r2', 2);
    const { migrations } = await migrationStatus(db, ws.migrationsDir);
    expect(migrations).toEqual([
      expect.objectContaining({ key: r1, state: 'applied', edited: false }),
      expect.objectContaining({ key: r2, state: 'pending', edited: false }),
    ]);
    expect(Date.parse(migrations[0]!.appliedAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('shows a migration edited after it was applied, and up and the server refuse to run', async () => {
    const r1 = await make('library-r1', 1);
    await migrateUp(db, ws.migrationsDir);
    await appendFile(file(r1), '--> statement-breakpoint\nCREATE TABLE sneaky (id integer);\n');

    const { migrations } = await migrationStatus(db, ws.migrationsDir);
    expect(migrations[0]).toMatchObject({ key: r1, state: 'applied', edited: true });
    await expect(migrateUp(db, ws.migrationsDir)).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_CHECKSUM',
    });
    await expect(checkMigrations(db, ws.migrationsDir)).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_CHECKSUM',
      message: expect.stringContaining('the server did not start'),
    });

    await copyFile(fixturePath('library-r1'), path.join(ws.dir, 'openapi.yaml'));
    const start = createApp({
      appDir: ws.dir,
      env: {},
      // Nothing is pending: only the checksum stands between this app and serving.
      overrides: { databaseUrl: ws.url, logLevel: 'silent', autoMigrate: false },
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
    await migrateUp(db, ws.migrationsDir);
    await rm(file(r2));
    const { migrations } = await migrationStatus(db, ws.migrationsDir);
    expect(migrations.map((entry) => [entry.key, entry.state])).toEqual([
      [expect.any(String), 'applied'],
      [r2, 'missing'],
    ]);
  });

  it('reset drops every table the migrations created and applies them all again', async () => {
    await make('library-r1', 1);
    await make('library-r7', 2, true);
    await migrateUp(db, ws.migrationsDir);
    await query(db, "INSERT INTO authors (name) VALUES ('Ann')");
    await make('library-r8', 3);
    await migrateUp(db, ws.migrationsDir);
    await query(db, "INSERT INTO volumes (title) VALUES ('Dune')");
    const schema = await schemaOf(db);

    const result = await resetDatabase(db, ws.migrationsDir, { environment: 'development' });
    expect(result.dropped).toEqual(['authors', 'books', 'volumes']);
    expect(result.applied).toHaveLength(3);
    expect(await schemaOf(db)).toEqual(schema);
    expect(await rowsOf(db, schema)).toEqual({ authors: [], volumes: [] });
  });

  it('reset refuses in production unless confirmed, dropping nothing', async () => {
    await make('library-r1', 1);
    await migrateUp(db, ws.migrationsDir);
    await query(db, "INSERT INTO authors (name) VALUES ('Ann')");
    await expect(
      resetDatabase(db, ws.migrationsDir, { environment: 'production' }),
    ).rejects.toMatchObject({ code: 'SPECSTACK_ERR_MIGRATION_RESET_REFUSED' });
    expect(await query(db, 'SELECT name FROM authors')).toEqual([{ name: 'Ann' }]);
    await resetDatabase(db, ws.migrationsDir, { environment: 'production', confirmed: true });
    expect(await query(db, 'SELECT name FROM authors')).toEqual([]);
  });
});

describe('drift', () => {
  const folder = useMigrationsFolder();

  it('reports the statements a make would write while the spec is ahead of the last migration', async () => {
    const { migrationsDir } = folder;
    await makeFixtureMigration(migrationsDir, 'library-r1', { name: 'create' });
    expect(await modelDrift(await modelOf('library-r1'), migrationsDir)).toEqual({
      sqlite: [],
      postgres: [],
    });
    const drift = await modelDrift(await modelOf('library-r2'), migrationsDir);
    expect(drift.sqlite).toEqual(['ALTER TABLE `authors` ADD `bio` text;']);
    expect(drift.postgres).toEqual(['ALTER TABLE "authors" ADD COLUMN "bio" text;']);
  });
});
