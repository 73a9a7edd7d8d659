// Migration bookkeeping on SQLite. `BEGIN IMMEDIATE` takes the database's write lock before a
// migration is re-checked and applied, so concurrent runs on one file apply it once.

import type BetterSqlite3 from 'better-sqlite3';
import { MIGRATION_FAILED } from '../../errors.ts';
import type { MigrationSource } from '../migration-files.ts';
import {
  type AppliedMigration,
  MIGRATIONS_TABLE,
  type MigrationSession,
  type MigrationStore,
  statementFailed,
} from '../migration-store.ts';

/** How long a run waits for another process's migration to commit, in milliseconds. */
const LOCK_WAIT_MS = 5 * 60 * 1000;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  batch INTEGER NOT NULL,
  applied_at TEXT NOT NULL
)`;

interface AppliedRow {
  id: string;
  name: string;
  checksum: string;
  batch: number;
  applied_at: string;
}

function readApplied(sqlite: BetterSqlite3.Database): AppliedMigration[] {
  const exists = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(MIGRATIONS_TABLE);
  if (exists === undefined) return [];
  const rows = sqlite
    .prepare(`SELECT id, name, checksum, batch, applied_at FROM ${MIGRATIONS_TABLE} ORDER BY id`)
    .all() as AppliedRow[];
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    checksum: row.checksum,
    batch: row.batch,
    appliedAt: row.applied_at,
  }));
}

function foreignKeyViolations(sqlite: BetterSqlite3.Database, migration: MigrationSource): Error {
  const rows = sqlite.pragma('foreign_key_check') as { table: string; parent: string }[];
  const pairs = [...new Set(rows.map((row) => `${row.table} -> ${row.parent}`))];
  return MIGRATION_FAILED(
    `${migration.displayPath} leaves rows whose foreign key points at no row (${pairs.join(', ')}); nothing from this migration was applied`,
    { pointer: migration.displayPath, details: { migration: migration.key, violations: rows } },
  );
}

/**
 * Foreign keys are switched off around the transaction (the pragma is a no-op inside one) so that
 * drizzle-kit's copy-and-rename table rebuilds do not cascade or fail on the old table; they are
 * checked before commit instead, as SQLite's documented ALTER TABLE procedure does.
 */
function applyMigration(
  sqlite: BetterSqlite3.Database,
  migration: MigrationSource,
  batch: number,
): boolean {
  if (sqlite.inTransaction) {
    throw MIGRATION_FAILED('migrations cannot run inside an open transaction');
  }
  const foreignKeys = sqlite.pragma('foreign_keys', { simple: true }) === 1;
  if (foreignKeys) sqlite.pragma('foreign_keys = OFF');
  try {
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      const done = sqlite
        .prepare(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE id = ?`)
        .get(migration.id);
      if (done !== undefined) {
        sqlite.exec('ROLLBACK');
        return false;
      }
      migration.statements.forEach((statement, index) => {
        try {
          sqlite.exec(statement);
        } catch (cause) {
          throw statementFailed(migration, index, cause);
        }
      });
      if (foreignKeys && (sqlite.pragma('foreign_key_check') as unknown[]).length > 0) {
        throw foreignKeyViolations(sqlite, migration);
      }
      sqlite
        .prepare(
          `INSERT INTO ${MIGRATIONS_TABLE} (id, name, checksum, batch, applied_at) VALUES (?, ?, ?, ?, ?)`,
        )
        .run(migration.id, migration.name, migration.checksum, batch, new Date().toISOString());
      sqlite.exec('COMMIT');
      return true;
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw error;
    }
  } finally {
    if (foreignKeys) sqlite.pragma('foreign_keys = ON');
  }
}

export function sqliteMigrationStore(sqlite: BetterSqlite3.Database): MigrationStore {
  const session: MigrationSession = {
    applied: async () => readApplied(sqlite),
    apply: async (migration, batch) => applyMigration(sqlite, migration, batch),
  };
  return {
    applied: async () => readApplied(sqlite),
    async session(work) {
      const busyTimeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
      sqlite.pragma(`busy_timeout = ${Math.max(busyTimeout, LOCK_WAIT_MS)}`);
      try {
        sqlite.exec(CREATE_TABLE);
        return await work(session);
      } finally {
        sqlite.pragma(`busy_timeout = ${busyTimeout}`);
      }
    },
  };
}
