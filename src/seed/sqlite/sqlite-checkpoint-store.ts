// Seed checkpoints on SQLite. Mirrors postgres/postgres-checkpoint-store.ts.

import type BetterSqlite3 from 'better-sqlite3';
import type { Checkpoint, CheckpointStore } from '../checkpoint-store.ts';
import { CHECKPOINTS_TABLE } from '../checkpoint-store.ts';

interface CheckpointRow {
  name: string;
  fingerprint: string;
  records: number;
  done: number;
}

const toCheckpoint = (row: CheckpointRow): Checkpoint => ({
  name: row.name,
  fingerprint: row.fingerprint,
  records: Number(row.records),
  done: row.done === 1,
});

export function sqliteCheckpointStore(sqlite: BetterSqlite3.Database): CheckpointStore {
  return {
    async ensure() {
      sqlite.exec(
        `CREATE TABLE IF NOT EXISTS ${CHECKPOINTS_TABLE} (name TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, records INTEGER NOT NULL, done INTEGER NOT NULL, updated_at TEXT NOT NULL)`,
      );
    },
    async read(name) {
      const row = sqlite
        .prepare(`SELECT name, fingerprint, records, done FROM ${CHECKPOINTS_TABLE} WHERE name = ?`)
        .get(name) as CheckpointRow | undefined;
      return row && toCheckpoint(row);
    },
    async unfinished() {
      const rows = sqlite
        .prepare(`SELECT name, fingerprint, records, done FROM ${CHECKPOINTS_TABLE} WHERE done = 0`)
        .all() as CheckpointRow[];
      return rows.map(toCheckpoint);
    },
    async write(tx, checkpoint) {
      if (tx.client.dialect !== 'sqlite')
        throw new Error('a SQLite checkpoint needs a SQLite transaction');
      tx.client.sqlite
        .prepare(
          `INSERT INTO ${CHECKPOINTS_TABLE} (name, fingerprint, records, done, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint, records = excluded.records, done = excluded.done, updated_at = excluded.updated_at`,
        )
        .run(
          checkpoint.name,
          checkpoint.fingerprint,
          checkpoint.records,
          checkpoint.done ? 1 : 0,
          new Date().toISOString(),
        );
    },
  };
}
