// Seed checkpoints on PostgreSQL. Mirrors sqlite/sqlite-checkpoint-store.ts.

import type pg from 'pg';
import type { Checkpoint, CheckpointStore } from '../checkpoint-store.ts';
import { CHECKPOINTS_TABLE } from '../checkpoint-store.ts';

interface CheckpointRow {
  name: string;
  fingerprint: string;
  records: string | number;
  done: boolean;
}

const toCheckpoint = (row: CheckpointRow): Checkpoint => ({
  name: row.name,
  fingerprint: row.fingerprint,
  records: Number(row.records),
  done: row.done,
});

export function postgresCheckpointStore(pool: pg.Pool): CheckpointStore {
  return {
    async ensure() {
      await pool.query(
        `CREATE TABLE IF NOT EXISTS ${CHECKPOINTS_TABLE} (name text PRIMARY KEY, fingerprint text NOT NULL, records bigint NOT NULL, done boolean NOT NULL, updated_at timestamptz NOT NULL)`,
      );
    },
    async read(name) {
      const { rows } = await pool.query<CheckpointRow>(
        `SELECT name, fingerprint, records, done FROM ${CHECKPOINTS_TABLE} WHERE name = $1`,
        [name],
      );
      return rows[0] && toCheckpoint(rows[0]);
    },
    async unfinished() {
      const { rows } = await pool.query<CheckpointRow>(
        `SELECT name, fingerprint, records, done FROM ${CHECKPOINTS_TABLE} WHERE NOT done`,
      );
      return rows.map(toCheckpoint);
    },
    async write(tx, checkpoint) {
      if (tx.client.dialect !== 'postgres') {
        throw new Error('a PostgreSQL checkpoint needs a PostgreSQL transaction');
      }
      await tx.client.client.query(
        `INSERT INTO ${CHECKPOINTS_TABLE} (name, fingerprint, records, done, updated_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint, records = excluded.records, done = excluded.done, updated_at = excluded.updated_at`,
        [checkpoint.name, checkpoint.fingerprint, checkpoint.records, checkpoint.done],
      );
    },
  };
}
