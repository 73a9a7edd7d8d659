// The framework's own tables (the embedded jobs backend's, idempotency keys, tasks, BullMQ's outbox), made by versioned migrations that ship
// with specstack rather than with the app: applied before the app's migrations by `migrate up` and
// at every start, recorded in specstack_framework_migrations, never in the app's snapshots.

import type { Database } from '../db/database.ts';
import { IDEMPOTENCY_MIGRATIONS } from '../http/auto-crud/idempotency-schema.ts';
import { TASKS_MIGRATIONS } from '../http/tasks/task-schema.ts';
import { OUTBOX_MIGRATIONS } from '../jobs/bullmq/bullmq-outbox.ts';
import { type FrameworkMigration, JOBS_MIGRATIONS } from '../jobs/embedded/jobs-schema.ts';

export const FRAMEWORK_MIGRATIONS_TABLE = 'specstack_framework_migrations';
/** Serializes framework migrations across processes on PostgreSQL (transaction-scoped). */
const LOCK_KEY = '7310312446575470';

const MIGRATIONS: readonly FrameworkMigration[] = [
  ...JOBS_MIGRATIONS,
  ...IDEMPOTENCY_MIGRATIONS,
  ...TASKS_MIGRATIONS,
  ...OUTBOX_MIGRATIONS,
];

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${FRAMEWORK_MIGRATIONS_TABLE} (
  id TEXT PRIMARY KEY NOT NULL,
  applied_at TEXT NOT NULL
)`;

/** Applies the framework migrations this database lacks; returns their ids. Safe to race. */
export async function applyFrameworkMigrations(db: Database): Promise<string[]> {
  return db.transaction(async (tx) => {
    const client = tx.client;
    const applied: string[] = [];
    if (client.dialect === 'sqlite') {
      // Inside BEGIN IMMEDIATE: the write lock is held, so no other process applies at once.
      client.sqlite.exec(CREATE_TABLE);
      const done = new Set(
        (
          client.sqlite.prepare(`SELECT id FROM ${FRAMEWORK_MIGRATIONS_TABLE}`).all() as {
            id: string;
          }[]
        ).map((row) => row.id),
      );
      for (const migration of MIGRATIONS.filter((m) => !done.has(m.id))) {
        for (const statement of migration.sqlite) client.sqlite.exec(statement);
        client.sqlite
          .prepare(`INSERT INTO ${FRAMEWORK_MIGRATIONS_TABLE} (id, applied_at) VALUES (?, ?)`)
          .run(migration.id, new Date().toISOString());
        applied.push(migration.id);
      }
      return applied;
    }
    await client.client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await client.client.query(CREATE_TABLE);
    const found = await client.client.query<{ id: string }>(
      `SELECT id FROM ${FRAMEWORK_MIGRATIONS_TABLE}`,
    );
    const done = new Set(found.rows.map((row) => row.id));
    for (const migration of MIGRATIONS.filter((m) => !done.has(m.id))) {
      for (const statement of migration.postgres) await client.client.query(statement);
      await client.client.query(
        `INSERT INTO ${FRAMEWORK_MIGRATIONS_TABLE} (id, applied_at) VALUES ($1, $2)`,
        [migration.id, new Date().toISOString()],
      );
      applied.push(migration.id);
    }
    return applied;
  });
}
