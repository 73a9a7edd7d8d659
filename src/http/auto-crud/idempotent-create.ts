// Idempotency keys on auto-CRUD creates that declare an `Idempotency-Key` header: the first
// answer is stored with the key and replayed for a retry; the same key with another request (path
// parameters, query or body) is a 422. The claim and the insert commit together, so concurrent
// retries with one key write once.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database, Row, Transaction } from '../../db/database.ts';
import type { RowView } from '../../db/row-reader.ts';
import { type RepositoryView, repositoryView } from '../../db/table-repository.ts';
import type { TableDescription } from '../../model/table-description.ts';
import { claimKey, type Headers, idempotencyKeys, storeAnswer } from '../idempotency-keys.ts';
import type { Operation } from '../operations.ts';

export type IdempotentCreate = (
  request: FastifyRequest,
  reply: FastifyReply,
  insert: (rows: RepositoryView, tx: Transaction) => Promise<Row> | Row,
  headersOf: (row: Row) => Headers | undefined,
  answer: (reply: FastifyReply, row: Row | undefined, headers?: Headers) => unknown,
) => Promise<unknown> | undefined;

/** Undefined for an operation that declares no Idempotency-Key header: it pays nothing. */
export function idempotentCreate(
  operation: Operation,
  db: Database,
  table: TableDescription,
  view: RowView,
): IdempotentCreate | undefined {
  const keyOf = idempotencyKeys(operation);
  if (!keyOf) return undefined;

  return (request, reply, insert, headersOf, answer) => {
    const key = keyOf(request);
    if (!key) return undefined;
    return db
      .transaction(async (tx) => {
        const stored = await claimKey(tx, key);
        if (stored)
          return { row: stored.body as Row | undefined, headers: stored.headers, replayed: true };
        const row = await insert(repositoryView(tx.repository(table.schemaName), view), tx);
        const headers = headersOf(row) ?? {};
        await storeAnswer(tx, key, reply.statusCode, { headers, body: row });
        return { row, headers, replayed: false };
      })
      .then(({ row, headers, replayed }) => {
        if (replayed) reply.header('idempotent-replayed', 'true');
        return answer(reply, row, headers);
      });
  };
}
