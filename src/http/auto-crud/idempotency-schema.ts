// The idempotency keys table, as a framework migration (applied with the jobs tables'): one row per
// operation and key, holding a hash of the first request's body and the answer replayed for it.

import type { FrameworkMigration } from '../../jobs/embedded/jobs-schema.ts';

export const IDEMPOTENCY_TABLE = 'specstack_idempotency_keys';

function idempotencyTable(integer: 'INTEGER' | 'BIGINT'): string[] {
  return [
    `CREATE TABLE ${IDEMPOTENCY_TABLE} (
  operation TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  headers TEXT NOT NULL,
  body TEXT,
  created_at ${integer} NOT NULL,
  PRIMARY KEY (operation, idempotency_key)
)`,
  ];
}

export const IDEMPOTENCY_MIGRATIONS: readonly FrameworkMigration[] = [
  {
    id: '0002_idempotency_keys',
    sqlite: idempotencyTable('INTEGER'),
    postgres: idempotencyTable('BIGINT'),
  },
];
