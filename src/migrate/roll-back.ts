// `migrate down`: undoes the newest applied migrations with their `.down.sql` files, newest first,
// each in its own transaction that also deletes its bookkeeping row.

import type { Database } from '../db/database.ts';
import { MIGRATION_INVALID } from '../errors.ts';
import { migrationStore, resolveTarget, verifyChecksums } from './apply-migrations.ts';
import {
  type DownSource,
  listMigrations,
  type MigrationFile,
  readDownMigration,
  readMigration,
} from './migration-files.ts';
import type { AppliedMigration } from './migration-store.ts';

export interface MigrateDownOptions {
  /** How many of the newest applied migrations to undo; 1 when neither this nor `to` is given. */
  steps?: number;
  /** Undo every applied migration newer than this one (id or `<id>_<name>`); it stays applied. */
  to?: string;
}

export interface MigrateDownResult {
  /** Keys of the migrations this call rolled back, newest first; empty when none was applied. */
  reverted: string[];
}

function targets(
  applied: readonly AppliedMigration[],
  options: MigrateDownOptions,
): AppliedMigration[] {
  const newestFirst = [...applied].reverse();
  if (options.to !== undefined) {
    const keys = applied.map((migration) => ({
      id: migration.id,
      key: `${migration.id}_${migration.name}`,
    }));
    const last = resolveTarget(options.to, keys);
    return newestFirst.filter((migration) => migration.id > last);
  }
  const steps = options.steps ?? 1;
  if (!Number.isSafeInteger(steps) || steps < 1) {
    throw MIGRATION_INVALID(
      `the number of migrations to roll back must be 1 or more, got ${steps}`,
    );
  }
  return newestFirst.slice(0, steps);
}

/** Reads every down file first, so a missing one refuses the run before anything is undone. */
async function downSources(
  files: readonly MigrationFile[],
  chosen: readonly AppliedMigration[],
  dialect: string,
): Promise<DownSource[]> {
  const byId = new Map(files.map((file) => [file.id, file]));
  return Promise.all(
    chosen.map((migration) => {
      const file = byId.get(migration.id);
      if (!file) {
        throw MIGRATION_INVALID(
          `${migration.id}_${migration.name} is applied but its files are gone from migrations/${dialect}/, so it cannot be rolled back; restore them from version control (nothing was rolled back)`,
        );
      }
      return readDownMigration(file);
    }),
  );
}

/**
 * Concurrent runs are serialized like `up` (a PostgreSQL advisory lock; SQLite's write lock per
 * step) and each step re-checks its row, so a migration is never undone twice.
 */
export async function migrateDown(
  db: Database,
  migrationsDir: string,
  options: MigrateDownOptions = {},
): Promise<MigrateDownResult> {
  const files = await listMigrations(migrationsDir, db.dialect);
  const sources = await Promise.all(files.map(readMigration));
  return migrationStore(db.client).session(async (session) => {
    const applied = await session.applied();
    verifyChecksums(sources, applied, 'nothing was rolled back');
    const downs = await downSources(files, targets(applied, options), db.dialect);
    const reverted: string[] = [];
    for (const down of downs) {
      if (await session.revert(down)) reverted.push(down.key);
    }
    return { reverted };
  });
}
