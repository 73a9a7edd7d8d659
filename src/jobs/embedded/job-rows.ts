// Rows of specstack_jobs as the CLI and the dashboard see them. PostgreSQL returns BIGINT as text,
// SQLite as numbers: both become numbers here.

import type { JobRecord, JobState } from '../jobs-backend.ts';
import type { SqlRow } from './sql-executor.ts';

export const JOB_COLUMNS =
  'id, name, state, payload, result, progress, error, stack, attempts_made, max_attempts, priority, run_at, created_at, started_at, finished_at';

function time(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : new Date(Number(value)).toISOString();
}

export function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : undefined;
}

export function jobRecord(row: SqlRow, now: number): JobRecord {
  const runAt = Number(row.run_at);
  const state = row.state === 'waiting' && runAt > now ? 'delayed' : (row.state as JobState);
  const record: JobRecord = {
    id: String(row.id),
    name: String(row.name),
    state,
    payload: parseJson(row.payload),
    attemptsMade: Number(row.attempts_made),
    attempts: Number(row.max_attempts),
    priority: Number(row.priority),
    createdAt: time(row.created_at)!,
    runAt: time(row.run_at),
  };
  if (row.result !== null && row.result !== undefined) record.result = parseJson(row.result);
  if (row.progress !== null && row.progress !== undefined)
    record.progress = parseJson(row.progress);
  if (typeof row.error === 'string') record.error = row.error;
  if (typeof row.stack === 'string') record.stack = row.stack;
  const startedAt = time(row.started_at);
  if (startedAt) record.startedAt = startedAt;
  const finishedAt = time(row.finished_at);
  if (finishedAt) record.finishedAt = finishedAt;
  return record;
}
