// Where an import records how far it got: one row per import name in specstack_seed_checkpoints,
// written in the same transaction as the batch it describes, so it never runs ahead of the data.
// One implementation per dialect (sqlite/, postgres/).

import type { DatabaseClient, Transaction } from '../db/database.ts';
import { postgresCheckpointStore } from './postgres/postgres-checkpoint-store.ts';
import { sqliteCheckpointStore } from './sqlite/sqlite-checkpoint-store.ts';

export const CHECKPOINTS_TABLE = 'specstack_seed_checkpoints';

export interface Checkpoint {
  /** The import's name, e.g. `ratings`. */
  name: string;
  /** Identifies the file's content: a checkpoint for another file is not resumed. */
  fingerprint: string;
  /** Records committed so far, counted from the first record after the header. */
  records: number;
  done: boolean;
}

export interface CheckpointStore {
  /** Creates the table when it is missing. */
  ensure(): Promise<void>;
  read(name: string): Promise<Checkpoint | undefined>;
  /** Imports that started and did not finish. */
  unfinished(): Promise<Checkpoint[]>;
  /** Upserts the checkpoint inside the transaction. */
  write(tx: Transaction, checkpoint: Checkpoint): Promise<void>;
}

export function checkpointStore(client: DatabaseClient): CheckpointStore {
  return client.dialect === 'sqlite'
    ? sqliteCheckpointStore(client.sqlite)
    : postgresCheckpointStore(client.pool);
}
