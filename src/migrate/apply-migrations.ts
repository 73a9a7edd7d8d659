// `migrate up`: applies the pending files of migrations/<dialect>/ in id order, each in its own
// transaction with its bookkeeping row, after checking that no applied file was edited since.

import type { Database, DatabaseClient } from '../db/database.ts';
import { MIGRATION_CHECKSUM, MIGRATION_INVALID } from '../errors.ts';
import { applyFrameworkMigrations } from './framework-migrations.ts';
import {
  listMigrations,
  type MigrationFile,
  type MigrationSource,
  readMigration,
} from './migration-files.ts';
import type { AppliedMigration, MigrationStore } from './migration-store.ts';
import { postgresMigrationStore } from './postgres/postgres-migration-store.ts';
import { sqliteMigrationStore } from './sqlite/sqlite-migration-store.ts';

export interface MigrateUpResult {
  /** Keys (`<id>_<name>`) of the migrations this call applied, in order; empty when up to date. */
  applied: string[];
}

export interface MigrateUpOptions {
  /** Apply only up to this migration (its id, or its `<id>_<name>` key), inclusive. */
  to?: string;
}

export function migrationStore(client: DatabaseClient): MigrationStore {
  return client.dialect === 'sqlite'
    ? sqliteMigrationStore(client.sqlite)
    : postgresMigrationStore(client.pool);
}

/** Files whose content differs from what was applied. */
export function editedMigrations(
  sources: readonly MigrationSource[],
  applied: readonly AppliedMigration[],
): MigrationSource[] {
  const recorded = new Map(applied.map((migration) => [migration.id, migration.checksum]));
  return sources.filter((source) => {
    const checksum = recorded.get(source.id);
    return checksum !== undefined && checksum !== source.checksum;
  });
}

/** Refuses the run when an applied file changed: the database no longer matches the folder. */
export function verifyChecksums(
  sources: readonly MigrationSource[],
  applied: readonly AppliedMigration[],
  outcome = 'nothing was applied',
): void {
  const edited = editedMigrations(sources, applied);
  if (edited.length === 0) return;
  const files = edited.map((source) => source.displayPath).join(', ');
  throw MIGRATION_CHECKSUM(
    `${files} changed after it was applied; restore the applied version and put further changes in a new migration (${outcome})`,
    {
      pointer: edited[0]!.displayPath,
      details: { migrations: edited.map((source) => source.key) },
    },
  );
}

/** The id a `--to` value names: an id, or a `<id>_<name>` key, of one of `known`. */
export function resolveTarget(to: string, known: readonly { id: string; key: string }[]): string {
  // eslint-disable-next-line security/detect-unsafe-regex -- linear: no repetition can match the same text two ways (checked on 1 MB inputs)
  const id = /^(\d{14})(?:_.*)?$/.exec(to.trim())?.[1];
  const found = known.find(
    (entry) => entry.id === id && (to.trim() === id || to.trim() === entry.key),
  );
  if (!found) {
    throw MIGRATION_INVALID(
      `--to ${JSON.stringify(to)} names no migration here; give an id or <id>_<name> from migrate status`,
    );
  }
  return found.id;
}

async function readSources(migrationsDir: string, db: Database): Promise<MigrationSource[]> {
  const files = await listMigrations(migrationsDir, db.dialect);
  return Promise.all(files.map(readMigration));
}

function pendingOf<T extends MigrationFile>(
  files: readonly T[],
  applied: readonly AppliedMigration[],
  to?: string,
): T[] {
  const appliedIds = new Set(applied.map((migration) => migration.id));
  const last = to === undefined ? undefined : resolveTarget(to, files);
  return files.filter(
    (file) => !appliedIds.has(file.id) && (last === undefined || file.id <= last),
  );
}

export async function migrateUp(
  db: Database,
  migrationsDir: string,
  options: MigrateUpOptions = {},
): Promise<MigrateUpResult> {
  const sources = await readSources(migrationsDir, db);
  await applyFrameworkMigrations(db);
  return migrationStore(db.client).session(async (session) => {
    const applied = await session.applied();
    verifyChecksums(sources, applied);
    const batch = applied.reduce((max, migration) => Math.max(max, migration.batch), 0) + 1;
    const done: string[] = [];
    for (const source of pendingOf(sources, applied, options.to)) {
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
  return pendingOf(files, applied).map((file) => file.key);
}

/**
 * What a server checks before serving: the keys of pending migrations, after refusing when an
 * applied file was edited since (the schema may not be what the files say).
 */
export async function checkMigrations(db: Database, migrationsDir: string): Promise<string[]> {
  const [sources, applied] = await Promise.all([
    readSources(migrationsDir, db),
    migrationStore(db.client).applied(),
  ]);
  verifyChecksums(sources, applied, 'the server did not start');
  return pendingOf(sources, applied).map((source) => source.key);
}

/** The migrations `up` would apply, with their statements, without applying them. */
export async function pendingSources(
  db: Database,
  migrationsDir: string,
  options: MigrateUpOptions = {},
): Promise<MigrationSource[]> {
  const [sources, applied] = await Promise.all([
    readSources(migrationsDir, db),
    migrationStore(db.client).applied(),
  ]);
  verifyChecksums(sources, applied, 'up would refuse to run');
  return pendingOf(sources, applied, options.to);
}
