// The tasks table, as a framework migration (applied with the jobs and idempotency tables'): one
// row per job an `x-job` operation started, naming the operation and the caller who started it.
// GET /tasks/{taskId} reads only these rows, so no other job of the app can be looked up by id.

import type { FrameworkMigration } from '../../jobs/embedded/jobs-schema.ts';

export const TASKS_TABLE = 'specstack_tasks';

function tasksTable(integer: 'INTEGER' | 'BIGINT'): string[] {
  return [
    `CREATE TABLE ${TASKS_TABLE} (
  id TEXT PRIMARY KEY NOT NULL,
  job_id TEXT NOT NULL,
  operation TEXT NOT NULL,
  subject TEXT,
  created_at ${integer} NOT NULL
)`,
  ];
}

export const TASKS_MIGRATIONS: readonly FrameworkMigration[] = [
  { id: '0003_tasks', sqlite: tasksTable('INTEGER'), postgres: tasksTable('BIGINT') },
];
