import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';
import { diffModel } from '../../src/migrate/diff.ts';
import { createSchema, describeEachDialect } from '../support/databases.ts';
import { fixtureModel } from './fixture-model.ts';

describeEachDialect('openDatabase', (ctx) => {
  it('keeps data across close and reopen', async () => {
    const url = await ctx.createDatabaseUrl();
    await createSchema(url, fixtureModel);
    const first = await openDatabase({ url, model: fixtureModel });
    const owner = await first.repository('Owner').insert({ email: 'kept@example.com' });
    await first.close();
    const second = await openDatabase({ url, model: fixtureModel });
    try {
      expect(await second.repository('Owner').findByKey(owner.id as number)).toEqual(owner);
    } finally {
      await second.close();
    }
  });

  it('answers ping, reports its dialect, and closes twice without error', async () => {
    const db = await openDatabase({ url: await ctx.createDatabaseUrl(), model: fixtureModel });
    expect(db.dialect).toBe(ctx.dialect);
    await expect(db.ping()).resolves.toBeUndefined();
    await db.close();
    await expect(db.close()).resolves.toBeUndefined();
  });

  it('refuses a repository for a schema without x-tablename', async () => {
    const db = await openDatabase({ url: await ctx.createDatabaseUrl(), model: fixtureModel });
    try {
      expect(() => db.repository('Error')).toThrow(
        expect.objectContaining({ code: 'SPECSTACK_ERR_MODEL_INVALID' }),
      );
      expect(db.repository('Pet')).toBe(db.repository('Pet'));
    } finally {
      await db.close();
    }
  });
});

describe('openDatabase on SQLite', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'specstack-open-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates missing directories, resolving a relative path against baseDir', async () => {
    const db = await openDatabase({
      url: 'sqlite:data/nested/app.db',
      model: fixtureModel,
      baseDir: dir,
    });
    await db.close();
    expect(existsSync(path.join(dir, 'data/nested/app.db'))).toBe(true);
  });

  it('turns on WAL, foreign keys and a busy timeout', async () => {
    const db = await openDatabase({
      url: `sqlite:${path.join(dir, 'pragmas.db')}`,
      model: fixtureModel,
    });
    try {
      if (db.client.dialect !== 'sqlite') throw new Error('expected SQLite');
      const { sqlite } = db.client;
      expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(sqlite.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  it('runs an in-memory database for sqlite::memory:', async () => {
    const db = await openDatabase({ url: 'sqlite::memory:', model: fixtureModel });
    try {
      if (db.client.dialect !== 'sqlite') throw new Error('expected SQLite');
      const { statements } = await diffModel(fixtureModel, 'sqlite', null);
      for (const statement of statements) db.client.sqlite.exec(statement);
      const tag = await db.repository('Tag').insert({ label: 'memory' });
      expect(await db.repository('Tag').findByKey(tag.id as string)).toEqual(tag);
    } finally {
      await db.close();
    }
  });
});

describe('openDatabase URLs', () => {
  it.each(['mysql://localhost/db', 'app.db', 'sqlite:', 'http://example.com'])(
    'rejects %s with DATABASE_URL_INVALID naming the accepted forms',
    async (url) => {
      const error = await openDatabase({ url, model: fixtureModel }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'SPECSTACK_ERR_DATABASE_URL' });
      expect((error as Error).message).toContain('sqlite::memory:');
      expect((error as Error).message).toContain('postgresql://');
    },
  );

  it('masks the password in the URL it reports, and in errors', async () => {
    const error = await openDatabase({
      url: 'mysql://user:hunter2@localhost/db',
      model: fixtureModel,
    }).catch((e: unknown) => e);
    expect((error as Error).message).not.toContain('hunter2');
  });
});

describeEachDialect('openDatabase display URL', (ctx) => {
  it('never shows a password', async () => {
    const url = await ctx.createDatabaseUrl();
    const withPassword =
      ctx.dialect === 'postgres' ? url.replace('postgres@', 'postgres:secret@') : url;
    const db = await openDatabase({ url: withPassword, model: fixtureModel });
    try {
      await db.ping();
      expect(db.displayUrl).not.toContain('secret');
    } finally {
      await db.close();
    }
  });
});
