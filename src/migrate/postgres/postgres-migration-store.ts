// Migration bookkeeping on PostgreSQL. A session-level advisory lock, held on one connection for
// the whole run, serializes runs from every process; each migration is its own transaction.

import type { Pool, PoolClient } from 'pg';
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

/** Advisory locks are per database, so one fixed key serializes specstack runs on it. */
const LOCK_KEY = '7310312446575469';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  id text PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  batch integer NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

interface AppliedRow {
  id: string;
  name: string;
  checksum: string;
  batch: number;
  applied_at: Date;
}

type Queryable = Pick<PoolClient, 'query'>;

async function readApplied(db: Queryable): Promise<AppliedMigration[]> {
  const found = await db.query<{ table: string | null }>('SELECT to_regclass($1) AS "table"', [
    MIGRATIONS_TABLE,
  ]);
  if (!found.rows[0]?.table) return [];
  const result = await db.query<AppliedRow>(
    `SELECT id, name, checksum, batch, applied_at FROM ${MIGRATIONS_TABLE} ORDER BY id`,
  );
  return result.rows.map((row) => ({
    id: row.id,
    name: row.name,
    checksum: row.checksum,
    batch: row.batch,
    appliedAt: row.applied_at.toISOString(),
  }));
}

async function inTransaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function runStatements(
  client: PoolClient,
  source: StatementSource,
  outcome?: string,
): Promise<void> {
  for (const [index, statement] of source.statements.entries()) {
    try {
      await client.query(statement);
    } catch (cause) {
      throw statementFailed(source, index, cause, outcome);
    }
  }
}

async function isRecorded(client: PoolClient, id: string): Promise<boolean> {
  const found = await client.query(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE id = $1`, [id]);
  return (found.rowCount ?? 0) > 0;
}

function applyMigration(
  client: PoolClient,
  migration: MigrationSource,
  batch: number,
): Promise<boolean> {
  return inTransaction(client, async () => {
    if (await isRecorded(client, migration.id)) return false;
    await runStatements(client, migration);
    await client.query(
      `INSERT INTO ${MIGRATIONS_TABLE} (id, name, checksum, batch) VALUES ($1, $2, $3, $4)`,
      [migration.id, migration.name, migration.checksum, batch],
    );
    return true;
  });
}

function revertMigration(client: PoolClient, down: DownSource): Promise<boolean> {
  return inTransaction(client, async () => {
    if (!(await isRecorded(client, down.id))) return false;
    const newer = await client.query<{ id: string; name: string }>(
      `SELECT id, name FROM ${MIGRATIONS_TABLE} WHERE id > $1 ORDER BY id LIMIT 1`,
      [down.id],
    );
    const row = newer.rows[0];
    if (row) throw newerApplied(down, `${row.id}_${row.name}`);
    await runStatements(client, down, NOTHING_ROLLED_BACK);
    await client.query(`DELETE FROM ${MIGRATIONS_TABLE} WHERE id = $1`, [down.id]);
    return true;
  });
}

function dropAll(client: PoolClient, tables: readonly string[]): Promise<void> {
  const names = [...tables, MIGRATIONS_TABLE].map((name) => `"${name.replaceAll('"', '""')}"`);
  return inTransaction(client, async () => {
    // CASCADE takes foreign keys from tables outside the list with them, not those tables.
    await client.query(`DROP TABLE IF EXISTS ${names.join(', ')} CASCADE`);
    await client.query(CREATE_TABLE);
  });
}

export function postgresMigrationStore(pool: Pool): MigrationStore {
  return {
    applied: () => readApplied(pool),
    async session(work) {
      const client = await pool.connect();
      let broken = false;
      // The server dropping the connection mid-session is an 'error' event on the checked-out
      // client: heard here (the next statement fails with it), not left to end the process.
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      try {
        await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
        try {
          await client.query(CREATE_TABLE);
          const session: MigrationSession = {
            applied: () => readApplied(client),
            apply: (migration, batch) => applyMigration(client, migration, batch),
            revert: (down) => revertMigration(client, down),
            dropAll: (tables) => dropAll(client, tables),
          };
          return await work(session);
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {
            // The connection is unusable; destroying it releases the lock.
            broken = true;
          });
        }
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    },
  };
}
