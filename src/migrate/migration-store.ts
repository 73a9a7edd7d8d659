// The bookkeeping of applied migrations, one implementation per dialect (sqlite/, postgres/).
// The table `specstack_migrations` records each applied file; status and rollback read it too.

import { MIGRATION_FAILED } from '../errors.ts';
import type { DownSource, MigrationSource } from './migration-files.ts';

export const MIGRATIONS_TABLE = 'specstack_migrations';

/** One row of specstack_migrations. */
export interface AppliedMigration {
  id: string;
  name: string;
  checksum: string;
  /** Migrations applied by one `up` share a batch number, so a rollback can undo that run. */
  batch: number;
  /** ISO 8601. */
  appliedAt: string;
}

/** Work done while holding the migration lock. */
export interface MigrationSession {
  /** Applied migrations, oldest first (the bookkeeping table exists inside a session). */
  applied(): Promise<AppliedMigration[]>;
  /**
   * Runs the migration's statements and records it, in one transaction. Returns false, changing
   * nothing, when it is already recorded (another process applied it first).
   */
  apply(migration: MigrationSource, batch: number): Promise<boolean>;
  /**
   * Runs a migration's down statements and deletes its row, in one transaction. Returns false,
   * changing nothing, when it is no longer recorded (another process rolled it back first); refuses
   * while a newer migration is recorded, since undoing out of order would break it.
   */
  revert(down: DownSource): Promise<boolean>;
  /** Drops each listed table that exists and the bookkeeping table, in one transaction, then recreates the bookkeeping table empty. */
  dropAll(tables: readonly string[]): Promise<void>;
}

export interface MigrationStore {
  /** Applied migrations, oldest first; none when the bookkeeping table does not exist yet. No lock. */
  applied(): Promise<AppliedMigration[]>;
  /** Runs `work` so that concurrent runs, from any process, never apply a migration twice. */
  session<T>(work: (session: MigrationSession) => Promise<T>): Promise<T>;
}

function firstLine(statement: string): string {
  const line = statement.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** A file of statements run in one transaction: a migration, or the down file that undoes one. */
export type StatementSource = Pick<MigrationSource, 'key' | 'displayPath' | 'statements'>;

/** The error for a statement that failed: names the file, the statement and the database's reason. */
export function statementFailed(
  migration: StatementSource,
  index: number,
  cause: unknown,
  outcome = 'nothing from this migration was applied',
): ReturnType<typeof MIGRATION_FAILED> {
  const statement = migration.statements[index] ?? '';
  const reason = cause instanceof Error ? cause.message : String(cause);
  return MIGRATION_FAILED(
    `${migration.displayPath} failed at statement ${index + 1} of ${migration.statements.length} (${firstLine(statement)}): ${reason}; ${outcome}`,
    {
      pointer: migration.displayPath,
      details: { migration: migration.key, statementIndex: index, statement },
      cause,
    },
  );
}

export const NOTHING_ROLLED_BACK = 'nothing from this rollback was applied';

/** The refusal to undo a migration while a newer one is still applied. */
export function newerApplied(down: DownSource, newer: string): ReturnType<typeof MIGRATION_FAILED> {
  return MIGRATION_FAILED(
    `cannot roll back ${down.key}: ${newer}, applied after it, is still applied (another process ran migrate up meanwhile?); run migrate down again`,
    { details: { migration: down.key, newer } },
  );
}
