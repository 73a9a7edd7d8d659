// The embedded backend's tables, as versioned framework migrations (applied by migrate/
// framework-migrations.ts before the app's own). Times are milliseconds since the epoch, so both
// dialects compare them the same way; payloads and results are JSON text.

export interface FrameworkMigration {
  id: string;
  sqlite: readonly string[];
  postgres: readonly string[];
}

function jobsTables(integer: 'INTEGER' | 'BIGINT'): string[] {
  return [
    `CREATE TABLE specstack_jobs (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  job_key TEXT,
  debounce_key TEXT,
  state TEXT NOT NULL,
  payload TEXT NOT NULL,
  result TEXT,
  progress TEXT,
  error TEXT,
  stack TEXT,
  attempts_made INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  backoff TEXT,
  priority INTEGER NOT NULL DEFAULT 0,
  run_at ${integer} NOT NULL,
  locked_by TEXT,
  locked_until ${integer},
  created_at ${integer} NOT NULL,
  started_at ${integer},
  finished_at ${integer}
)`,
    // jobId: one job per key and queue, whatever its state.
    'CREATE UNIQUE INDEX specstack_jobs_key ON specstack_jobs (name, job_key)',
    // debounce: one not-yet-started job per key and queue (claiming clears the key).
    "CREATE UNIQUE INDEX specstack_jobs_debounce ON specstack_jobs (name, debounce_key) WHERE state = 'waiting'",
    'CREATE INDEX specstack_jobs_claim ON specstack_jobs (name, state, priority, run_at)',
    'CREATE INDEX specstack_jobs_lease ON specstack_jobs (state, locked_until)',
    `CREATE TABLE specstack_job_queues (
  name TEXT PRIMARY KEY NOT NULL,
  paused INTEGER NOT NULL DEFAULT 0
)`,
    `CREATE TABLE specstack_job_schedules (
  name TEXT PRIMARY KEY NOT NULL,
  cron TEXT NOT NULL,
  next_tick ${integer} NOT NULL
)`,
  ];
}

/** In id order; an id, once released, never changes meaning. */
export const JOBS_MIGRATIONS: readonly FrameworkMigration[] = [
  { id: '0001_jobs', sqlite: jobsTables('INTEGER'), postgres: jobsTables('BIGINT') },
];
