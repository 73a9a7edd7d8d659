// Per-test app folders for the migrate suites: a temp folder with its `migrations/`, and for the
// dialect suites a fresh database too, made before each test and removed after it.

import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Database } from '../../../src/db/database.ts';
import { openDatabase } from '../../../src/db/open-database.ts';
import type { ModelDescription } from '../../../src/model/table-description.ts';
import type { DialectContext } from '../../support/databases.ts';
import { removeDir, tempDir } from './migrate-fixtures.ts';

export interface MigrationsFolder {
  /** The app folder; a SQLite file named relative to the app resolves here. */
  readonly dir: string;
  /** `<dir>/migrations`, not created until a migration is written. */
  readonly migrationsDir: string;
}

export interface MigrateWorkspace extends MigrationsFolder {
  /** A new, empty database of the suite's dialect. */
  readonly url: string;
  /** Opens the test's database with `model` (none by default); closed when the test ends. */
  connect(model?: ModelDescription): Promise<Database>;
}

/** A temp app folder for each test of the calling suite; read its fields inside tests and hooks. */
export function useMigrationsFolder(): MigrationsFolder {
  let dir = '';
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => removeDir(dir));
  return {
    get dir() {
      return dir;
    },
    get migrationsDir() {
      return path.join(dir, 'migrations');
    },
  };
}

/** A temp app folder and a fresh database for each test of a `describeEachDialect` suite. */
export function useMigrateWorkspace(ctx: DialectContext): MigrateWorkspace {
  let dir = '';
  let url = '';
  const opened: Database[] = [];
  beforeEach(async () => {
    dir = await tempDir();
    url = await ctx.createDatabaseUrl();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
    await removeDir(dir);
  });
  return {
    get dir() {
      return dir;
    },
    get migrationsDir() {
      return path.join(dir, 'migrations');
    },
    get url() {
      return url;
    },
    async connect(model = { tables: [] }) {
      const db = await openDatabase({ url, model, baseDir: dir });
      opened.push(db);
      return db;
    },
  };
}
