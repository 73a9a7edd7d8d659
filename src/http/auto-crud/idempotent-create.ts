// Idempotency keys on auto-CRUD creates that declare an `Idempotency-Key` header: the first
// answer is stored with the key and replayed for a retry; the same key with another body is a 422.
// The key's claim and the insert commit together, so concurrent retries with one key write once.

import { hash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database, Row, Transaction } from '../../db/database.ts';
import type { RowView } from '../../db/row-reader.ts';
import { type RepositoryView, repositoryView } from '../../db/table-repository.ts';
import { transactionQuery } from '../../db/transaction-query.ts';
import { IDEMPOTENCY_KEY_REUSED } from '../../errors.ts';
import type { TableDescription } from '../../model/table-description.ts';
import type { Operation } from '../operations.ts';
import { IDEMPOTENCY_TABLE } from './idempotency-schema.ts';

/** How long a key is remembered when its parameter sets no `x-expires-in` (seconds): a day. */
const DEFAULT_EXPIRES_IN = 24 * 60 * 60;

type Headers = Record<string, string>;

export type IdempotentCreate = (
  request: FastifyRequest,
  reply: FastifyReply,
  insert: (rows: RepositoryView, tx: Transaction) => Promise<Row> | Row,
  headersOf: (row: Row) => Headers | undefined,
  answer: (reply: FastifyReply, row: Row | undefined, headers?: Headers) => unknown,
) => Promise<unknown> | undefined;

const WHERE = 'operation = $1 AND idempotency_key = $2';

/** Undefined for an operation that declares no Idempotency-Key header: it pays nothing. */
export function idempotentCreate(
  operation: Operation,
  db: Database,
  table: TableDescription,
  view: RowView,
): IdempotentCreate | undefined {
  const parameter = operation.parameters.find(
    (p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key',
  );
  if (!parameter) return undefined;
  const expiresIn = Number(
    (parameter as { 'x-expires-in'?: number })['x-expires-in'] ?? DEFAULT_EXPIRES_IN,
  );
  const name = `${operation.method.toUpperCase()} ${operation.path}`;

  return (request, reply, insert, headersOf, answer) => {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string') return undefined;
    const bodyHash = hash('sha256', JSON.stringify(request.body ?? null), 'base64url');
    return db
      .transaction(async (tx) => {
        const now = Date.now();
        await transactionQuery(
          tx,
          `DELETE FROM ${IDEMPOTENCY_TABLE} WHERE ${WHERE} AND created_at < $3`,
          [name, key, now - expiresIn * 1000],
        );
        // A concurrent retry's insert waits on the key here until this transaction ends.
        const claimed = await transactionQuery(
          tx,
          `INSERT INTO ${IDEMPOTENCY_TABLE} (operation, idempotency_key, body_hash, status, headers, body, created_at)
VALUES ($1, $2, $3, 0, '{}', NULL, $4) ON CONFLICT DO NOTHING RETURNING operation`,
          [name, key, bodyHash, now],
        );
        if (claimed.length === 0) {
          const [stored] = await transactionQuery(
            tx,
            `SELECT body_hash, headers, body FROM ${IDEMPOTENCY_TABLE} WHERE ${WHERE}`,
            [name, key],
          );
          if (stored!.body_hash !== bodyHash) {
            throw IDEMPOTENCY_KEY_REUSED(
              `Idempotency-Key "${key}" was first used with another body; send a new key`,
            );
          }
          const body =
            stored!.body === null ? undefined : (JSON.parse(String(stored!.body)) as Row);
          return {
            row: body,
            headers: JSON.parse(String(stored!.headers)) as Headers,
            replayed: true,
          };
        }
        const row = await insert(repositoryView(tx.repository(table.schemaName), view), tx);
        const headers = headersOf(row) ?? {};
        await transactionQuery(
          tx,
          `UPDATE ${IDEMPOTENCY_TABLE} SET status = $1, headers = $2, body = $3
WHERE operation = $4 AND idempotency_key = $5`,
          [reply.statusCode, JSON.stringify(headers), JSON.stringify(row), name, key],
        );
        return { row, headers, replayed: false };
      })
      .then(({ row, headers, replayed }) => {
        if (replayed) reply.header('idempotent-replayed', 'true');
        return answer(reply, row, headers);
      });
  };
}
