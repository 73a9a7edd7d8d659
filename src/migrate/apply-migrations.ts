// `migrate up`: applies the pending files of migrations/<dialect>/ in id order, each in its own
// transaction with its bookkeeping row, after checking that no applied file was edited since.

import type { Database, DatabaseClient } from '../db/database.ts';
import { MIGRATION_CHECKSUM } from '../errors.ts';
import { listMigrations, type MigrationSource, readMigration } from './migration-files.ts';
import type { AppliedMigration, MigrationStore } from './migration-store.ts';
import { postgresMigrationStore } from './postgres/postgres-migration-store.ts';
import { sqliteMigrationStore } from './sqlite/sqlite-migration-store.ts';

export interface MigrateUpResult {
  /** Keys (`<id>_<name>`) of the migrations this call applied, in order; empty when up to date. */
  applied: string[];
}

export function migrationStore(client: DatabaseClient): MigrationStore {
  return client.dialect === 'sqlite'
    ? sqliteMigrationStore(client.sqlite)
    : postgresMigrationStore(client.pool);
}

/** Refuses the run when an applied file changed: the database no longer matches the folder. */
function verifyChecksums(
  sources: readonly MigrationSource[],
  applied: readonly AppliedMigration[],
) {
  const recorded = new Map(applied.map((migration) => [migration.id, migration.checksum]));
  const edited = sources.filter((source) => {
    const checksum = recorded.get(source.id);
    return checksum !== undefined && checksum !== source.checksum;
  });
  if (edited.length === 0) return;
  const files = edited.map((source) => source.displayPath).join(', ');
  throw MIGRATION_CHECKSUM(
    `${files} changed after it was applied; restore the applied version and put further changes in a new migration (nothing was applied)`,
    {
      pointer: edited[0]!.displayPath,
      details: { migrations: edited.map((source) => source.key) },
    },
  );
}

export async function migrateUp(db: Database, migrationsDir: string): Promise<MigrateUpResult> {
  const files = await listMigrations(migrationsDir, db.dialect);
  const sources = await Promise.all(files.map(readMigration));
  return migrationStore(db.client).session(async (session) => {
    const applied = await session.applied();
    verifyChecksums(sources, applied);
    const appliedIds = new Set(applied.map((migration) => migration.id));
    const batch = applied.reduce((max, migration) => Math.max(max, migration.batch), 0) + 1;
    const done: string[] = [];
    for (const source of sources) {
      if (appliedIds.has(source.id)) continue;
      if (await session.apply(source, batch)) done.push(source.key);
    }
    return { applied: done };
  });
}

/** Keys (`<id>_<name>`) of the files in migrations/<dialect>/ not yet applied, oldest first. */
export async function pendingMigrations(db: Database, migrationsDir: string): Promise<string[]> {
  const [files, applied] = await Promise.all([
    listMigrations(migrationsDir, db.dialect),
    migrationStore(db.client).applied(),
  ]);
  const appliedIds = new Set(applied.map((migration) => migration.id));
  return files.filter((file) => !appliedIds.has(file.id)).map((file) => file.key);
}
