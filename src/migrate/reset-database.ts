// `migrate reset`: drops every table the app's migrations ever created, and the bookkeeping table,
// then applies every migration again. For development and tests; refused in production unless confirmed.

import type { Database } from '../db/database.ts';
import { MIGRATION_RESET_REFUSED } from '../errors.ts';
import { searchNames } from '../search/search-dialect.ts';
import { type MigrateUpResult, migrationStore } from './apply-migrations.ts';
import type { Snapshot } from './diff.ts';
import { listMigrations, listSnapshotIds, readMigration, readSnapshot } from './migration-files.ts';

export interface ResetOptions {
  /** NODE_ENV; `production` needs `confirmed`. */
  environment: string;
  /** The user said yes (`--yes`). */
  confirmed?: boolean;
}

export interface ResetResult extends MigrateUpResult {
  /** The app's tables that existed in some snapshot (dropped when present), sorted. */
  dropped: string[];
}

/**
 * Every table named in any snapshot of the dialect: all the app's migrations ever created, with
 * SQLite's FTS5 search tables (dropping their table leaves them behind; PostgreSQL's search lives
 * in the table itself).
 */
export async function ownedTables(migrationsDir: string, db: Database): Promise<string[]> {
  const ids = await listSnapshotIds(migrationsDir, db.dialect);
  const names = new Set<string>();
  for (const id of ids) {
    const snapshot: Snapshot = await readSnapshot(migrationsDir, db.dialect, id);
    for (const table of Object.values(snapshot.tables as Record<string, { name?: unknown }>)) {
      if (typeof table.name === 'string') names.add(table.name);
    }
    if (db.dialect !== 'sqlite') continue;
    for (const name of Object.keys(snapshot.specstackSearch ?? {})) {
      names.add(searchNames(name).index);
    }
  }
  return [...names].sort();
}

export async function resetDatabase(
  db: Database,
  migrationsDir: string,
  options: ResetOptions,
): Promise<ResetResult> {
  if (options.environment === 'production' && !options.confirmed) {
    throw MIGRATION_RESET_REFUSED(
      `migrate reset drops every table of the app at ${db.displayUrl} and NODE_ENV is production: pass --yes if that is what you want (nothing was dropped)`,
    );
  }
  const tables = await ownedTables(migrationsDir, db);
  const files = await listMigrations(migrationsDir, db.dialect);
  const sources = await Promise.all(files.map(readMigration));
  return migrationStore(db.client).session(async (session) => {
    await session.dropAll(tables);
    const applied: string[] = [];
    for (const source of sources) {
      if (await session.apply(source, 1)) applied.push(source.key);
    }
    return { dropped: tables, applied };
  });
}
