import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrateUp, pendingMigrations } from '../../src/migrate/apply-migrations.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  makeFixtureMigration,
  migrationKey,
  modelOf,
  type SpecFixture,
} from './support/migrate-fixtures.ts';
import { useMigrateWorkspace } from './support/migrate-workspace.ts';
import { writeSqlMigration } from './support/migration-writer.ts';
import { runInProcesses } from './support/run-in-processes.ts';

/** A statement that takes a few milliseconds on both dialects, to widen race windows. */
function fillerTable(name: string, rows = 20_000): string {
  return `CREATE TABLE ${name} AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${rows}) SELECT x FROM c`;
}

async function rows(db: Database, sql: string): Promise<Record<string, unknown>[]> {
  if (db.client.dialect === 'sqlite') {
    const statement = db.client.sqlite.prepare(sql);
    if (!statement.reader) {
      statement.run();
      return [];
    }
    return statement.all() as Record<string, unknown>[];
  }
  return (await db.client.pool.query(sql)).rows;
}

async function tableExists(db: Database, table: string): Promise<boolean> {
  const sql =
    db.dialect === 'sqlite'
      ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name = '${table}'`
      : `SELECT to_regclass('${table}') AS name`;
  const [row] = await rows(db, sql);
  return row?.name != null;
}

async function bookkeeping(db: Database): Promise<string[]> {
  const found = await rows(db, 'SELECT id, name FROM specstack_migrations ORDER BY id');
  return found.map((row) => `${row.id}_${row.name}`);
}

/** Runs `migrateUp` in a separate process per entry, started together; returns each result. */
function upInProcesses(url: string, migrationsDir: string, count: number) {
  return runInProcesses<{ applied: string[] }>(
    Array.from({ length: count }, () => [url, migrationsDir, 'up']),
  );
}

describeEachDialect('migrate up', (ctx) => {
  const ws = useMigrateWorkspace(ctx);
  const { connect } = ws;

  async function make(
    fixture: SpecFixture,
    name: string,
    now: string,
    allowDestructive = false,
  ): Promise<string> {
    const made = await makeFixtureMigration(ws.migrationsDir, fixture, {
      name,
      now: new Date(now),
      allowDestructive,
    });
    return migrationKey(made);
  }

  it('creates working tables from the first migration', async () => {
    const first = await make('pets-v1', 'create-pets', '2025-01-01T00:00:00Z');
    const db = await connect();
    expect(await pendingMigrations(db, ws.migrationsDir)).toEqual([first]);
    expect(await migrateUp(db, ws.migrationsDir)).toEqual({ applied: [first] });
    expect(await pendingMigrations(db, ws.migrationsDir)).toEqual([]);
    expect(await bookkeeping(db)).toEqual([first]);

    const app = await connect(await modelOf('pets-v1'));
    const pets = app.repository('Pet');
    const rex = await pets.insert({ name: 'Rex' });
    expect(await pets.findByKey(rex.id as number)).toMatchObject({ name: 'Rex' });
  });

  it('applies only the new migration after a spec change and keeps existing rows', async () => {
    const first = await make('pets-v1', 'create-pets', '2025-01-01T00:00:00Z');
    const db = await connect();
    await migrateUp(db, ws.migrationsDir);
    await rows(db, "INSERT INTO pets (name) VALUES ('Rex')");

    const second = await make('pets-v2', 'add-owners', '2025-01-02T00:00:00Z');
    expect(await pendingMigrations(db, ws.migrationsDir)).toEqual([second]);
    expect(await migrateUp(db, ws.migrationsDir)).toEqual({ applied: [second] });
    expect(await bookkeeping(db)).toEqual([first, second]);
    expect(await rows(db, 'SELECT name, tag FROM pets')).toEqual([{ name: 'Rex', tag: null }]);

    const app = await connect(await modelOf('pets-v2'));
    await app.repository('Owner').insert({ email: 'ann@example.com' });
    await expect(
      app.repository('Owner').insert({ email: 'ann@example.com' }),
    ).rejects.toMatchObject({ code: 'SPECSTACK_ERR_UNIQUE_VIOLATION' });
    const tagged = await app.repository('Pet').insert({ name: 'Tom', tag: 'cat' });
    expect(tagged).toMatchObject({ name: 'Tom', tag: 'cat' });
  });

  it('applies an allowed destructive migration, keeping the rows of surviving columns', async () => {
    await make('pets-v2', 'create', '2025-01-01T00:00:00Z');
    const db = await connect();
    await migrateUp(db, ws.migrationsDir);
    await rows(db, "INSERT INTO pets (name, tag) VALUES ('Rex', 'dog')");
    await rows(db, "INSERT INTO owners (email) VALUES ('ann@example.com')");
    const drop = await make('pets-v1', 'drop-owners-and-tags', '2025-01-02T00:00:00Z', true);
    expect(await migrateUp(db, ws.migrationsDir)).toEqual({ applied: [drop] });
    expect(await tableExists(db, 'owners')).toBe(false);
    expect(await rows(db, 'SELECT * FROM pets')).toEqual([{ id: 1, name: 'Rex' }]);
  });

  // On SQLite this change rebuilds `pets` (copy, drop, rename); with foreign keys enforced the drop
  // would cascade into `visits`.
  it('keeps rows that reference a table the migration rebuilds', async () => {
    await make('visits-v1', 'create', '2025-01-01T00:00:00Z');
    const db = await connect(await modelOf('visits-v1'));
    await migrateUp(db, ws.migrationsDir);
    await rows(db, "INSERT INTO pets (name) VALUES ('Rex')");
    await rows(db, 'INSERT INTO visits (pet_id) VALUES (1)');
    const optional = await make('visits-v2', 'optional-pet-name', '2025-01-02T00:00:00Z');
    expect(await migrateUp(db, ws.migrationsDir)).toEqual({ applied: [optional] });
    expect(await rows(db, 'SELECT id, pet_id FROM visits')).toEqual([{ id: 1, pet_id: 1 }]);
    await rows(db, 'INSERT INTO pets (name) VALUES (NULL)');
    await rows(db, 'DELETE FROM pets WHERE id = 1');
    expect(await rows(db, 'SELECT id FROM visits')).toEqual([]);
  });

  it.runIf(ctx.dialect === 'sqlite')(
    'rolls back a migration that leaves rows pointing at no row',
    async () => {
      await make('visits-v1', 'create', '2025-01-01T00:00:00Z');
      const db = await connect(await modelOf('visits-v1'));
      await migrateUp(db, ws.migrationsDir);
      await rows(db, "INSERT INTO pets (name) VALUES ('Rex')");
      await rows(db, 'INSERT INTO visits (pet_id) VALUES (1)');
      await writeSqlMigration(ws.migrationsDir, ctx.dialect, '20250102000000_orphan-visits', [
        'DROP TABLE pets',
        'CREATE TABLE pets (id integer PRIMARY KEY, name text)',
      ]);
      await expect(migrateUp(db, ws.migrationsDir)).rejects.toMatchObject({
        code: 'SPECSTACK_ERR_MIGRATION_FAILED',
        message: expect.stringContaining('visits -> pets'),
      });
      expect(await rows(db, 'SELECT name FROM pets')).toEqual([{ name: 'Rex' }]);
      expect(await pendingMigrations(db, ws.migrationsDir)).toEqual([
        '20250102000000_orphan-visits',
      ]);
    },
  );

  it('applies only up to the migration named by --to', async () => {
    const first = await make('pets-v1', 'create-pets', '2025-01-01T00:00:00Z');
    const second = await make('pets-v2', 'add-owners', '2025-01-02T00:00:00Z');
    const db = await connect();
    expect(await migrateUp(db, ws.migrationsDir, { to: first })).toEqual({ applied: [first] });
    expect(await tableExists(db, 'owners')).toBe(false);
    await expect(migrateUp(db, ws.migrationsDir, { to: '20250109000000' })).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_INVALID',
    });
    expect(await migrateUp(db, ws.migrationsDir, { to: second.slice(0, 14) })).toEqual({
      applied: [second],
    });
  });

  it('does nothing on a second up', async () => {
    await make('pets-v1', 'create-pets', '2025-01-01T00:00:00Z');
    await make('pets-v2', 'add-owners', '2025-01-02T00:00:00Z');
    const db = await connect();
    expect((await migrateUp(db, ws.migrationsDir)).applied).toHaveLength(2);
    const before = await rows(db, 'SELECT * FROM specstack_migrations ORDER BY id');
    expect(await migrateUp(db, ws.migrationsDir)).toEqual({ applied: [] });
    expect(await rows(db, 'SELECT * FROM specstack_migrations ORDER BY id')).toEqual(before);
  });

  it('reports nothing pending and applies nothing when there are no migrations', async () => {
    const db = await connect();
    expect(await pendingMigrations(db, ws.migrationsDir)).toEqual([]);
    expect(await migrateUp(db, ws.migrationsDir)).toEqual({ applied: [] });
  });

  it('rolls a failing migration back entirely and names its file and statement', async () => {
    const first = await make('pets-v1', 'create-pets', '2025-01-01T00:00:00Z');
    await writeSqlMigration(ws.migrationsDir, ctx.dialect, '20250102000000_broken', [
      'CREATE TABLE half_done (id integer PRIMARY KEY)',
      'INSERT INTO half_done (id) VALUES (1)',
      'INSERT INTO no_such_table (id) VALUES (1)',
    ]);
    await writeSqlMigration(ws.migrationsDir, ctx.dialect, '20250103000000_after', [
      'CREATE TABLE after_broken (id integer PRIMARY KEY)',
    ]);
    const db = await connect();
    const failure = migrateUp(db, ws.migrationsDir);
    await expect(failure).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_FAILED',
      message: expect.stringContaining(
        `${path.join('migrations', ctx.dialect, '20250102000000_broken.sql')} failed at statement 3 of 3 (INSERT INTO no_such_table`,
      ),
    });
    await expect(failure).rejects.toThrow(/no_such_table/);
    expect(await tableExists(db, 'pets')).toBe(true);
    expect(await tableExists(db, 'half_done')).toBe(false);
    expect(await tableExists(db, 'after_broken')).toBe(false);
    expect(await bookkeeping(db)).toEqual([first]);
    expect(await pendingMigrations(db, ws.migrationsDir)).toEqual([
      '20250102000000_broken',
      '20250103000000_after',
    ]);
  });

  it('refuses to apply anything when an applied migration file was edited', async () => {
    await make('pets-v1', 'create-pets', '2025-01-01T00:00:00Z');
    const db = await connect();
    await migrateUp(db, ws.migrationsDir);
    const second = await make('pets-v2', 'add-owners', '2025-01-02T00:00:00Z');
    const firstFile = path.join(ws.migrationsDir, ctx.dialect, '20250101000000_create-pets.sql');
    await appendFile(firstFile, '--> statement-breakpoint\nCREATE TABLE sneaky (id integer);\n');

    await expect(migrateUp(db, ws.migrationsDir)).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_CHECKSUM',
      message: expect.stringContaining(
        path.join('migrations', ctx.dialect, '20250101000000_create-pets.sql'),
      ),
    });
    expect(await tableExists(db, 'owners')).toBe(false);
    expect(await tableExists(db, 'sneaky')).toBe(false);
    expect(await pendingMigrations(db, ws.migrationsDir)).toEqual([second]);
  });

  // better-sqlite3 is synchronous, so two handles in one process never overlap inside a
  // migration; on SQLite the race is real only between processes (next test).
  it.runIf(ctx.dialect === 'postgres')(
    'applies each migration once when two connections run up at the same time',
    async () => {
      const keys = [
        await make('pets-v1', 'create-pets', '2025-01-01T00:00:00Z'),
        await make('pets-v2', 'add-owners', '2025-01-02T00:00:00Z'),
      ];
      for (let i = 0; i < 8; i++) {
        const key = `2025010300000${i}_filler-${i}`;
        await writeSqlMigration(ws.migrationsDir, ctx.dialect, key, [fillerTable(`filler_${i}`)]);
        keys.push(key);
      }
      const [one, two] = [await connect(), await connect()];
      const results = await Promise.all([
        migrateUp(one, ws.migrationsDir),
        migrateUp(two, ws.migrationsDir),
      ]);
      const applied = results.flatMap((result) => result.applied);
      expect(applied.sort()).toEqual(keys);
      expect(await bookkeeping(one)).toEqual(keys);
      expect(await rows(one, 'SELECT count(*) AS n FROM filler_7')).toEqual([{ n: '20000' }]);
    },
  );

  it('applies each migration once when two processes run up at the same time', async () => {
    const keys = [await make('pets-v1', 'create-pets', '2025-01-01T00:00:00Z')];
    for (let i = 10; i < 40; i++) {
      const key = `202501030000${i}_filler-${i}`;
      await writeSqlMigration(ws.migrationsDir, ctx.dialect, key, [fillerTable(`filler_${i}`)]);
      keys.push(key);
    }
    const results = await upInProcesses(ws.url, ws.migrationsDir, 2);
    const applied = results.flatMap((result) => result.applied);
    expect(applied.sort()).toEqual(keys);
    const db = await connect();
    expect(await bookkeeping(db)).toEqual(keys);
  });
});
