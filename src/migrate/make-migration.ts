// `migrate make`: diffs the model against the last snapshot of each dialect and writes one dated
// migration per dialect, with the same id, its down file, and the snapshot the next make diffs against.

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Dialect } from '../db/database.ts';
import { MIGRATION_DESTRUCTIVE, NO_CHANGES } from '../errors.ts';
import type { ModelDescription } from '../model/table-description.ts';
import {
  DESTRUCTIVE_HINTS,
  type DestructiveChange,
  destructiveChanges,
} from './destructive-changes.ts';
import { type DiffResult, diffModel, type Snapshot, snapshotModel } from './diff.ts';
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
import { describeRenames } from './renames.ts';

export interface MakeMigrationOptions {
  model: ModelDescription;
  /** The app's migrations folder; `<dialect>/` folders are created in it as needed. */
  migrationsDir: string;
  /** Free text; sanitized to kebab-case (`Add owners` -> `add-owners`). */
  name: string;
  /** The OpenAPI document the model came from; its file name goes in the header. */
  specFile: string;
  /** Write a migration that drops, narrows or imposes NOT NULL (refused otherwise). */
  allowDestructive?: boolean;
  /** Write files with no statements for a hand-written (data) migration; the snapshot is unchanged. */
  empty?: boolean;
  /** Creation time; defaults to now. */
  now?: Date;
}

export interface MadeMigration {
  /** `YYYYMMDDHHmmss`, shared by every dialect. */
  id: string;
  name: string;
  /** Per dialect: the statements written (empty when the change does not touch that dialect). */
  statements: Record<Dialect, string[]>;
  /** Per dialect: the statements of the `.down.sql` file. */
  downStatements: Record<Dialect, string[]>;
  /** Absolute paths of the files written: each dialect's `.sql`, `.down.sql` and `.snapshot.json`. */
  files: string[];
  /** What the migration destroys (`drops column pets.tag`); non-empty only with allowDestructive. */
  destructive: string[];
  /** The renames it carries out (`renames column authors.bio to biography`). */
  renames: string[];
}

interface DialectPlan {
  dialect: Dialect;
  statements: string[];
  downStatements: string[];
  snapshot: Snapshot;
  destructive: DestructiveChange[];
  renames: string[];
}

async function planFromModel(
  options: MakeMigrationOptions,
  dialect: Dialect,
): Promise<DialectPlan> {
  const previous = await latestSnapshot(options.migrationsDir, dialect);
  const diff: DiffResult = await diffModel(options.model, dialect, previous);
  return {
    dialect,
    statements: diff.statements,
    downStatements: diff.downStatements,
    snapshot: diff.snapshot,
    destructive: destructiveChanges(previous && diff.baseline, diff.snapshot),
    renames: describeRenames(diff.renames),
  };
}

/** `--empty`: no statements, and the last snapshot again so the next make diffs from the same point. */
async function emptyPlan(migrationsDir: string, dialect: Dialect): Promise<DialectPlan> {
  const previous = await latestSnapshot(migrationsDir, dialect);
  const base = previous ?? (await snapshotModel({ tables: [] }, dialect));
  const snapshot = { ...base, id: randomUUID(), prevId: previous ? previous.id : base.prevId };
  return { dialect, statements: [], downStatements: [], snapshot, destructive: [], renames: [] };
}

function refuseDestructive(plans: readonly DialectPlan[]): void {
  const seen = new Map<string, DestructiveChange>();
  for (const change of plans.flatMap((plan) => plan.destructive)) {
    seen.set(change.description, change);
  }
  const changes = [...seen.values()];
  const kinds = [...new Set(changes.map((change) => change.kind))];
  const reasons = kinds.map(
    (kind) =>
      `${changes
        .filter((change) => change.kind === kind)
        .map((change) => change.description)
        .join(', ')}: ${DESTRUCTIVE_HINTS[kind]}`,
  );
  throw MIGRATION_DESTRUCTIVE(
    `the migration is destructive and nothing was written. It ${reasons.join('; it ')}. To write it anyway for review, pass --allow-destructive`,
    { details: { changes: changes.map((change) => change.description) } },
  );
}

/**
 * Both dialects always get a file with the same id, even when one has no statements (a maxLength
 * change is nothing on SQLite), so their histories stay comparable. Nothing is written when
 * neither dialect changed.
 */
export async function makeMigration(options: MakeMigrationOptions): Promise<MadeMigration> {
  const name = sanitizeMigrationName(options.name);
  const now = options.now ?? new Date();
  const plans = await Promise.all(
    DIALECTS.map((dialect) =>
      options.empty ? emptyPlan(options.migrationsDir, dialect) : planFromModel(options, dialect),
    ),
  );
  if (!options.empty && plans.every((plan) => plan.statements.length === 0)) {
    throw NO_CHANGES(
      'nothing to migrate: the model matches the last migration (for a hand-written migration, pass --empty)',
    );
  }
  const destructive = [
    ...new Set(plans.flatMap((plan) => plan.destructive.map((change) => change.description))),
  ];
  if (destructive.length > 0 && !options.allowDestructive) refuseDestructive(plans);
  const existing = await Promise.all(
    DIALECTS.map((dialect) => listMigrations(options.migrationsDir, dialect)),
  );
  const id = nextMigrationId(
    now,
    existing.flat().map((file) => file.id),
  );
  const specName = path.basename(options.specFile);
  const render = (plan: DialectPlan, direction: 'up' | 'down') =>
    renderMigration({
      name,
      dialect: plan.dialect,
      createdAt: now,
      specName,
      direction,
      handWritten: options.empty === true,
      statements: direction === 'up' ? plan.statements : plan.downStatements,
      warnings:
        direction === 'down'
          ? []
          : [
              ...plan.renames.map((rename) => `RENAME: this migration ${rename}`),
              ...plan.destructive.map(
                (change) => `DESTRUCTIVE: this migration ${change.description}`,
              ),
            ],
    });
  const migrations: MigrationToWrite[] = plans.map((plan) => ({
    dialect: plan.dialect,
    id,
    name,
    sql: render(plan, 'up'),
    downSql: render(plan, 'down'),
    snapshot: plan.snapshot,
  }));
  const files = await writeMigrations(options.migrationsDir, migrations);
  const byDialect = (pick: (plan: DialectPlan) => string[]) =>
    Object.fromEntries(plans.map((plan) => [plan.dialect, pick(plan)])) as Record<
      Dialect,
      string[]
    >;
  return {
    id,
    name,
    statements: byDialect((plan) => plan.statements),
    downStatements: byDialect((plan) => plan.downStatements),
    files,
    destructive,
    renames: [...new Set(plans.flatMap((plan) => plan.renames))],
  };
}
