import { appendFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrateUp, pendingMigrations } from '../../src/migrate/apply-migrations.ts';
import { migrateDown } from '../../src/migrate/roll-back.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  januaryDay,
  makeFixtureMigration,
  migrationKey,
  type SpecFixture,
} from './support/migrate-fixtures.ts';
import { useMigrateWorkspace } from './support/migrate-workspace.ts';
import { writeSqlMigration } from './support/migration-writer.ts';
import { runInProcesses } from './support/run-in-processes.ts';
import { query, schemaOf } from './support/schema-state.ts';

async function bookkeeping(db: Database): Promise<string[]> {
  const rows = await query(db, 'SELECT id, name FROM specstack_migrations ORDER BY id');
  return rows.map((row) => `${row.id}_${row.name}`);
}

describeEachDialect('migrate down', (ctx) => {
  const ws = useMigrateWorkspace(ctx);
  let db: Database;
  beforeEach(async () => {
    db = await ws.connect();
  });

  async function make(fixture: SpecFixture, day: number): Promise<string> {
    return migrationKey(
      await makeFixtureMigration(ws.migrationsDir, fixture, { now: januaryDay(day) }),
    );
  }

  async function makeThree(): Promise<string[]> {
    const keys = [
      await make('library-r1', 1),
      await make('library-r2', 2),
      await make('library-r3', 3),
    ];
    await migrateUp(db, ws.migrationsDir);
    return keys;
  }

  it('rolls back one migration by default, or the number asked for, newest first', async () => {
    const [r1, r2, r3] = await makeThree();
    expect(await migrateDown(db, ws.migrationsDir)).toEqual({ reverted: [r3] });
    await migrateUp(db, ws.migrationsDir);
    expect(await migrateDown(db, ws.migrationsDir, { steps: 2 })).toEqual({ reverted: [r3, r2] });
    expect(await bookkeeping(db)).toEqual([r1]);
    expect(await pendingMigrations(db, ws.migrationsDir)).toEqual([r2, r3]);
    expect(Object.keys(await schemaOf(db)).sort()).toEqual(['authors', 'books']);
  });

  it('rolls back everything after the migration named by --to, by id or by key', async () => {
    const [r1, r2, r3] = await makeThree();
    expect(await migrateDown(db, ws.migrationsDir, { to: r1!.slice(0, 14) })).toEqual({
      reverted: [r3, r2],
    });
    await migrateUp(db, ws.migrationsDir);
    expect(await migrateDown(db, ws.migrationsDir, { to: r2 })).toEqual({ reverted: [r3] });
    await expect(migrateDown(db, ws.migrationsDir, { to: '20990101000000' })).rejects.toMatchObject(
      {
        code: 'SPECSTACK_ERR_MIGRATION_INVALID',
        message: expect.stringContaining('names no migration'),
      },
    );
    expect(await bookkeeping(db)).toEqual([r1, r2]);
  });

  it('refuses, changing nothing, when a down file is missing', async () => {
    const [r1, r2, r3] = await makeThree();
    await rm(path.join(ws.migrationsDir, ctx.dialect, `${r2}.down.sql`));
    await expect(migrateDown(db, ws.migrationsDir, { steps: 2 })).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_INVALID',
      message: expect.stringContaining(
        `${path.join('migrations', ctx.dialect, `${r2}.down.sql`)} is missing`,
      ),
    });
    expect(await bookkeeping(db)).toEqual([r1, r2, r3]);
  });

  it('undoes a failing down file entirely and keeps the migration applied', async () => {
    const [r1] = await makeThree();
    await writeSqlMigration(
      ws.migrationsDir,
      ctx.dialect,
      '20250110000000_broken-down',
      ['CREATE TABLE extra (id integer PRIMARY KEY)'],
      ['DROP TABLE extra', 'DROP TABLE no_such_table'],
    );
    await migrateUp(db, ws.migrationsDir);
    await expect(migrateDown(db, ws.migrationsDir)).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_FAILED',
      message: expect.stringMatching(
        /20250110000000_broken-down\.down\.sql failed at statement 2 of 2 .*nothing from this rollback was applied/,
      ),
    });
    expect(Object.keys(await schemaOf(db))).toContain('extra');
    expect((await bookkeeping(db)).at(-1)).toBe('20250110000000_broken-down');
    expect((await bookkeeping(db))[0]).toBe(r1);
  });

  it('refuses to roll back while an applied migration file differs from what was applied', async () => {
    const [r1, r2, r3] = await makeThree();
    await appendFile(path.join(ws.migrationsDir, ctx.dialect, `${r1}.sql`), '-- edited\n');
    await expect(migrateDown(db, ws.migrationsDir)).rejects.toMatchObject({
      code: 'SPECSTACK_ERR_MIGRATION_CHECKSUM',
      message: expect.stringContaining('nothing was rolled back'),
    });
    expect(await bookkeeping(db)).toEqual([r1, r2, r3]);
  });

  it('rolls back each migration once when two processes roll back at the same time', async () => {
    const first = await make('library-r1', 1);
    const fillers: string[] = [];
    for (let i = 10; i < 40; i++) {
      const key = `202501030000${i}_filler-${i}`;
      await writeSqlMigration(
        ws.migrationsDir,
        ctx.dialect,
        key,
        [`CREATE TABLE filler_${i} AS SELECT 1 AS x`],
        [`DROP TABLE filler_${i}`],
      );
      fillers.push(key);
    }
    await migrateUp(db, ws.migrationsDir);
    const results = await runInProcesses<{ reverted: string[] }>([
      [ws.url, ws.migrationsDir, 'down', '--to', first],
      [ws.url, ws.migrationsDir, 'down', '--to', first],
    ]);
    const reverted = results.flatMap((result) => result.reverted);
    expect(reverted.sort()).toEqual(fillers);
    expect(await bookkeeping(db)).toEqual([first]);
    expect(Object.keys(await schemaOf(db)).sort()).toEqual(['authors', 'books']);
  });
});
