// The BullMQ backend's outbox: a job enqueued on a SQL transaction is written to a table of the
// app's database in that transaction, so it commits or rolls back with the request's writes, as on
// the embedded backend. Once committed it is added to Redis and its row deleted; while Redis is
// unreachable the row stays, and a relay adds it when Redis is back. So a Redis outage, or a crash
// between the commit and the add, loses no job whose transaction committed.

import type { Database, Transaction } from '../../db/database.ts';
import { databaseExecutor, transactionExecutor } from '../embedded/database-executors.ts';
import type { FrameworkMigration } from '../embedded/jobs-schema.ts';
import type { SqlExecutor } from '../embedded/sql-executor.ts';
import type { EnqueueRequest } from '../jobs-backend.ts';

export const OUTBOX_TABLE = 'specstack_job_outbox';

function outboxTable(integer: 'INTEGER' | 'BIGINT'): string[] {
  return [
    `CREATE TABLE ${OUTBOX_TABLE} (
  name TEXT NOT NULL,
  id TEXT NOT NULL,
  payload TEXT NOT NULL,
  request TEXT NOT NULL,
  created_at ${integer} NOT NULL,
  PRIMARY KEY (name, id)
)`,
    `CREATE INDEX ${OUTBOX_TABLE}_created ON ${OUTBOX_TABLE} (created_at)`,
  ];
}

export const OUTBOX_MIGRATIONS: readonly FrameworkMigration[] = [
  { id: '0004_job_outbox', sqlite: outboxTable('INTEGER'), postgres: outboxTable('BIGINT') },
];

/** A job waiting to be added to Redis: its queue, its BullMQ id, what enqueue was given. */
export interface OutboxEntry {
  name: string;
  id: string;
  payload: unknown;
  request: EnqueueRequest;
  /** When it was enqueued (ms): a delay counts from then, not from the relay. */
  createdAt: number;
}

const INSERT = `INSERT INTO ${OUTBOX_TABLE} (name, id, payload, request, created_at)
  VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;
const DELETE = `DELETE FROM ${OUTBOX_TABLE} WHERE name = ? AND id = ?`;
const PENDING = `SELECT name, id, payload, request, created_at FROM ${OUTBOX_TABLE}
  WHERE created_at <= ? ORDER BY created_at LIMIT ?`;
const COUNT = `SELECT COUNT(*) AS count FROM ${OUTBOX_TABLE}`;

export interface Outbox {
  /** Writes the entry on the transaction: it exists only if the transaction commits. */
  write(transaction: Transaction, entry: OutboxEntry): Promise<void>;
  /** Deletes an entry once its job is on Redis. */
  remove(entry: Pick<OutboxEntry, 'name' | 'id'>): Promise<void>;
  /** Entries enqueued at or before `before` (ms), oldest first. */
  pending(before: number, limit: number): Promise<OutboxEntry[]>;
  count(): Promise<number>;
}

export function createOutbox(db: Database): Outbox {
  const sql: SqlExecutor = databaseExecutor(db);
  return {
    async write(transaction, entry) {
      await transactionExecutor(transaction).run(INSERT, [
        entry.name,
        entry.id,
        JSON.stringify(entry.payload ?? null),
        JSON.stringify(entry.request),
        entry.createdAt,
      ]);
    },
    async remove(entry) {
      await sql.run(DELETE, [entry.name, entry.id]);
    },
    async pending(before, limit) {
      const rows = await sql.all(PENDING, [before, limit]);
      return rows.map((row) => ({
        name: String(row.name),
        id: String(row.id),
        payload: JSON.parse(String(row.payload)),
        request: JSON.parse(String(row.request)) as EnqueueRequest,
        createdAt: Number(row.created_at),
      }));
    },
    async count() {
      const [row] = await sql.all(COUNT, []);
      return Number(row?.count ?? 0);
    },
  };
}

/** The request with what is left of its delay, for a job added to Redis later than enqueued. */
export function remainingDelay(entry: OutboxEntry, now: number): EnqueueRequest {
  const { request } = entry;
  const left = (delay: number) => Math.max(0, entry.createdAt + delay - now);
  return {
    ...request,
    ...(request.delay ? { delay: left(request.delay) } : {}),
    ...(request.debounce
      ? { debounce: { ...request.debounce, delay: left(request.debounce.delay) } }
      : {}),
  };
}
