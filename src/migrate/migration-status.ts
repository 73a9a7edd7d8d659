// `migrate status`: which migrations are applied, pending, edited since applied, or applied but
// gone from the folder; and whether the spec has changed since the last migration (drift).

import type { Database, Dialect } from '../db/database.ts';
import type { ModelDescription } from '../model/table-description.ts';
import { editedMigrations, migrationStore } from './apply-migrations.ts';
import { diffModel } from './diff.ts';
import { DIALECTS, latestSnapshot, listMigrations, readMigration } from './migration-files.ts';

export type MigrationState = 'applied' | 'pending' | 'missing';

export interface MigrationStatusEntry {
  id: string;
  /** `<id>_<name>`. */
  key: string;
  /** `missing`: recorded as applied, but its file is gone. */
  state: MigrationState;
  /** ISO 8601, for applied and missing ones. */
  appliedAt?: string;
  /** Applied, and the file changed since: `up`, `down` and the server refuse to run. */
  edited: boolean;
  /** `migrations/<dialect>/<key>.sql`; absent for a missing one. */
  displayPath?: string;
}

export interface MigrationStatus {
  dialect: Dialect;
  /** Every migration in the folder or the bookkeeping table, oldest first. */
  migrations: MigrationStatusEntry[];
}

export async function migrationStatus(
  db: Database,
  migrationsDir: string,
): Promise<MigrationStatus> {
  const [files, applied] = await Promise.all([
    listMigrations(migrationsDir, db.dialect),
    migrationStore(db.client).applied(),
  ]);
  const sources = await Promise.all(files.map(readMigration));
  const edited = new Set(editedMigrations(sources, applied).map((source) => source.id));
  const recorded = new Map(applied.map((migration) => [migration.id, migration]));
  const entries: MigrationStatusEntry[] = sources.map((source) => {
    const row = recorded.get(source.id);
    return {
      id: source.id,
      key: source.key,
      state: row ? 'applied' : 'pending',
      ...(row ? { appliedAt: row.appliedAt } : {}),
      edited: edited.has(source.id),
      displayPath: source.displayPath,
    };
  });
  const onDisk = new Set(files.map((file) => file.id));
  for (const row of applied) {
    if (onDisk.has(row.id)) continue;
    entries.push({
      id: row.id,
      key: `${row.id}_${row.name}`,
      state: 'missing',
      appliedAt: row.appliedAt,
      edited: false,
    });
  }
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { dialect: db.dialect, migrations: entries };
}

/**
 * Per dialect, the statements `make` would write now: non-empty means the spec's model differs
 * from the last migration's snapshot. Both dialects are checked, since some changes (a maxLength)
 * show in one only.
 */
export async function modelDrift(
  model: ModelDescription,
  migrationsDir: string,
): Promise<Record<Dialect, string[]>> {
  const entries = await Promise.all(
    DIALECTS.map(async (dialect) => {
      const previous = await latestSnapshot(migrationsDir, dialect);
      const { statements } = await diffModel(model, dialect, previous);
      return [dialect, statements] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<Dialect, string[]>;
}
