// `migrate make`: diffs the model against the last snapshot of each dialect and writes one dated
// migration per dialect, with the same id, plus the snapshot the next make will diff against.

import path from 'node:path';
import type { Dialect } from '../db/database.ts';
import { MIGRATION_DESTRUCTIVE, NO_CHANGES } from '../errors.ts';
import type { ModelDescription } from '../model/table-description.ts';
import { destructiveChanges } from './destructive-changes.ts';
import { diffModel } from './diff.ts';
import {
  DIALECTS,
  latestSnapshot,
  listMigrations,
  type MigrationToWrite,
  nextMigrationId,
  renderMigration,
  sanitizeMigrationName,
  writeMigrations,
} from './migration-files.ts';

export interface MakeMigrationOptions {
  model: ModelDescription;
  /** The app's migrations folder; `<dialect>/` folders are created in it as needed. */
  migrationsDir: string;
  /** Free text; sanitized to kebab-case (`Add owners` -> `add-owners`). */
  name: string;
  /** The OpenAPI document the model came from; its file name goes in the header. */
  specFile: string;
  /** Write a migration that drops tables or columns (refused otherwise). */
  allowDestructive?: boolean;
  /** Creation time; defaults to now. */
  now?: Date;
}

export interface MadeMigration {
  /** `YYYYMMDDHHmmss`, shared by every dialect. */
  id: string;
  name: string;
  /** Per dialect: the statements written (empty when the change does not touch that dialect). */
  statements: Record<Dialect, string[]>;
  /** Absolute paths of the files written: each dialect's `.sql` and `.snapshot.json`. */
  files: string[];
  /** What the migration drops (`drops column pets.tag`); non-empty only with allowDestructive. */
  destructive: string[];
}

/**
 * Both dialects always get a file with the same id, even when one has no statements (a maxLength
 * change is nothing on SQLite), so their histories stay comparable. Nothing is written when
 * neither dialect changed.
 */
export async function makeMigration(options: MakeMigrationOptions): Promise<MadeMigration> {
  const name = sanitizeMigrationName(options.name);
  const now = options.now ?? new Date();
  const diffs = await Promise.all(
    DIALECTS.map(async (dialect) => {
      const previous = await latestSnapshot(options.migrationsDir, dialect);
      const diff = await diffModel(options.model, dialect, previous);
      return { dialect, ...diff, destructive: destructiveChanges(previous, diff.snapshot) };
    }),
  );
  if (diffs.every((diff) => diff.statements.length === 0)) {
    throw NO_CHANGES('nothing to migrate: the model matches the last migration');
  }
  const destructive = [...new Set(diffs.flatMap((diff) => diff.destructive))];
  if (destructive.length > 0 && !options.allowDestructive) {
    throw MIGRATION_DESTRUCTIVE(
      `the migration ${destructive.join(', ')}, and the data in them would be lost (a renamed table or column also shows as a drop plus an add); nothing was written. Allow it explicitly (--allow-destructive) to write it for review`,
      { details: { changes: destructive } },
    );
  }
  const existing = await Promise.all(
    DIALECTS.map((dialect) => listMigrations(options.migrationsDir, dialect)),
  );
  const id = nextMigrationId(
    now,
    existing.flat().map((file) => file.id),
  );
  const specName = path.basename(options.specFile);
  const migrations: MigrationToWrite[] = diffs.map((diff) => ({
    dialect: diff.dialect,
    id,
    name,
    sql: renderMigration({
      name,
      dialect: diff.dialect,
      createdAt: now,
      specName,
      statements: diff.statements,
      warnings: diff.destructive.map((change) => `DESTRUCTIVE: this migration ${change}`),
    }),
    snapshot: diff.snapshot,
  }));
  const files = await writeMigrations(options.migrationsDir, migrations);
  const statements = Object.fromEntries(
    diffs.map((diff) => [diff.dialect, diff.statements]),
  ) as Record<Dialect, string[]>;
  return { id, name, statements, files, destructive };
}
