// Migration bookkeeping on SQLite. `BEGIN IMMEDIATE` takes the database's write lock before a
// migration is re-checked and applied (or rolled back), so concurrent runs on one file do it once.

import type BetterSqlite3 from 'better-sqlite3';
import { MIGRATION_FAILED } from '../../errors.ts';
import type { DownSource, MigrationSource } from '../migration-files.ts';
import {
  type AppliedMigration,
  MIGRATIONS_TABLE,
  type MigrationSession,
  type MigrationStore,
  NOTHING_ROLLED_BACK,
  newerApplied,
  type StatementSource,
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

type Sqlite = BetterSqlite3.Database;

function readApplied(sqlite: Sqlite): AppliedMigration[] {
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

function foreignKeyViolations(sqlite: Sqlite, source: StatementSource, outcome: string): Error {
  const rows = sqlite.pragma('foreign_key_check') as { table: string; parent: string }[];
  const pairs = [...new Set(rows.map((row) => `${row.table} -> ${row.parent}`))];
  return MIGRATION_FAILED(
    `${source.displayPath} leaves rows whose foreign key points at no row (${pairs.join(', ')}); ${outcome}`,
    { pointer: source.displayPath, details: { migration: source.key, violations: rows } },
  );
}

/**
 * Runs `work` in a write transaction with foreign keys switched off around it (the pragma is a
 * no-op inside one) so that drizzle-kit's copy-and-rename table rebuilds do not cascade or fail on
 * the old table; they are checked before commit instead, as SQLite's documented ALTER TABLE
 * procedure does. `work` returning false rolls back and changes nothing.
 */
function writeTransaction(
  sqlite: Sqlite,
  source: StatementSource,
  outcome: string,
  work: () => boolean,
): boolean {
  if (sqlite.inTransaction) {
    throw MIGRATION_FAILED('migrations cannot run inside an open transaction');
  }
  const foreignKeys = sqlite.pragma('foreign_keys', { simple: true }) === 1;
  if (foreignKeys) sqlite.pragma('foreign_keys = OFF');
  try {
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      if (!work()) {
        sqlite.exec('ROLLBACK');
        return false;
      }
      if (foreignKeys && (sqlite.pragma('foreign_key_check') as unknown[]).length > 0) {
        throw foreignKeyViolations(sqlite, source, outcome);
      }
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

function runStatements(sqlite: Sqlite, source: StatementSource, outcome: string): void {
  source.statements.forEach((statement, index) => {
    try {
      sqlite.exec(statement);
    } catch (cause) {
      throw statementFailed(source, index, cause, outcome);
    }
  });
}

function isRecorded(sqlite: Sqlite, id: string): boolean {
  return sqlite.prepare(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE id = ?`).get(id) !== undefined;
}

const NOTHING_APPLIED = 'nothing from this migration was applied';

function applyMigration(sqlite: Sqlite, migration: MigrationSource, batch: number): boolean {
  return writeTransaction(sqlite, migration, NOTHING_APPLIED, () => {
    if (isRecorded(sqlite, migration.id)) return false;
    runStatements(sqlite, migration, NOTHING_APPLIED);
    sqlite
      .prepare(
        `INSERT INTO ${MIGRATIONS_TABLE} (id, name, checksum, batch, applied_at) VALUES (?, ?, ?, ?, ?)`,
      )
      .run(migration.id, migration.name, migration.checksum, batch, new Date().toISOString());
    return true;
  });
}

function revertMigration(sqlite: Sqlite, down: DownSource): boolean {
  return writeTransaction(sqlite, down, NOTHING_ROLLED_BACK, () => {
    if (!isRecorded(sqlite, down.id)) return false;
    const newer = sqlite
      .prepare(`SELECT id, name FROM ${MIGRATIONS_TABLE} WHERE id > ? ORDER BY id LIMIT 1`)
      .get(down.id) as { id: string; name: string } | undefined;
    if (newer) throw newerApplied(down, `${newer.id}_${newer.name}`);
    runStatements(sqlite, down, NOTHING_ROLLED_BACK);
    sqlite.prepare(`DELETE FROM ${MIGRATIONS_TABLE} WHERE id = ?`).run(down.id);
    return true;
  });
}

function dropAll(sqlite: Sqlite, tables: readonly string[]): void {
  const names = [...tables, MIGRATIONS_TABLE];
  const source: StatementSource = {
    key: 'reset',
    displayPath: 'reset',
    statements: names.map((name) => `DROP TABLE IF EXISTS \`${name.replaceAll('`', '``')}\``),
  };
  writeTransaction(sqlite, source, 'nothing was dropped', () => {
    runStatements(sqlite, source, 'nothing was dropped');
    sqlite.exec(CREATE_TABLE);
    return true;
  });
}

export function sqliteMigrationStore(sqlite: Sqlite): MigrationStore {
  const session: MigrationSession = {
    applied: async () => readApplied(sqlite),
    apply: async (migration, batch) => applyMigration(sqlite, migration, batch),
    revert: async (down) => revertMigration(sqlite, down),
    dropAll: async (tables) => dropAll(sqlite, tables),
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
