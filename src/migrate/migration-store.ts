// The bookkeeping of applied migrations, one implementation per dialect (sqlite/, postgres/).
// The table `specstack_migrations` records each applied file; status and rollback read it too.

import { MIGRATION_FAILED } from '../errors.ts';
import type { MigrationSource } from './migration-files.ts';

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

/** The error for a statement that failed: names the file, the statement and the database's reason. */
export function statementFailed(
  migration: MigrationSource,
  index: number,
  cause: unknown,
): ReturnType<typeof MIGRATION_FAILED> {
  const statement = migration.statements[index] ?? '';
  const reason = cause instanceof Error ? cause.message : String(cause);
  return MIGRATION_FAILED(
    `${migration.displayPath} failed at statement ${index + 1} of ${migration.statements.length} (${firstLine(statement)}): ${reason}; nothing from this migration was applied`,
    {
      pointer: migration.displayPath,
      details: { migration: migration.key, statementIndex: index, statement },
      cause,
    },
  );
}
