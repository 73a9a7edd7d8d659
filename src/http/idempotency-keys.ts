// Idempotency keys of operations that declare an `Idempotency-Key` header (auto-CRUD creates and
// x-job operations): a key is claimed in the transaction that does the work and holds that work's
// answer, so a retry gets the same answer and concurrent retries with one key do the work once.

import { hash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/index.ts';
import type { Transaction } from '../db/database.ts';
import { transactionQuery } from '../db/transaction-query.ts';
import { IDEMPOTENCY_KEY_REUSED } from '../errors.ts';
import { IDEMPOTENCY_TABLE } from './auto-crud/idempotency-schema.ts';
import type { Operation } from './operations.ts';

/** How long a key is remembered when its parameter sets no `x-expires-in` (seconds): a day. */
const DEFAULT_EXPIRES_IN = 24 * 60 * 60;

export type Headers = Record<string, string>;

/** An answer as it is stored with its key and replayed for a retry. */
export interface StoredAnswer {
  headers: Headers;
  body: unknown;
}

/** A request's key, within what it is unique to: the operation (and caller), and its input. */
export interface IdempotencyKey {
  scope: string;
  key: string;
  inputHash: string;
  expiresIn: number;
}

/** The key of a request, or undefined for a request that sends none. */
export type IdempotencyKeyOf = (request: FastifyRequest) => IdempotencyKey | undefined;

/**
 * Undefined for an operation that declares no Idempotency-Key header (it pays nothing), else how
 * a request's key is read. A key is unique to its operation and its caller (another caller's retry
 * with the same key does its own work), and it stands for the whole input: the same key with
 * other path parameters, query or body is a 422, never another request's answer.
 */
export function idempotencyKeys(operation: Operation): IdempotencyKeyOf | undefined {
  const parameter = operation.parameters.find(
    (p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key',
  );
  if (!parameter) return undefined;
  const expiresIn = Number(
    (parameter as { 'x-expires-in'?: number })['x-expires-in'] ?? DEFAULT_EXPIRES_IN,
  );
  const operationScope = `${operation.method.toUpperCase()} ${operation.path}`;
  return (request) => {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string') return undefined;
    const subject = (request.principal as Principal | undefined)?.subject;
    const scope = subject === undefined ? operationScope : `${operationScope} as ${subject}`;
    const input = { params: request.params, query: request.query, body: request.body ?? null };
    const inputHash = hash('sha256', JSON.stringify(input), 'base64url');
    return { scope, key, inputHash, expiresIn };
  };
}

const WHERE = 'operation = $1 AND idempotency_key = $2';

/**
 * Claims the key in `tx`: undefined when this request is the first with it (do the work, then
 * `storeAnswer` in the same transaction), else the answer stored for it. A key older than its
 * expiry is forgotten first; one first used with other input is a 422.
 */
export async function claimKey(
  tx: Transaction,
  { scope, key, inputHash, expiresIn }: IdempotencyKey,
): Promise<StoredAnswer | undefined> {
  const now = Date.now();
  await transactionQuery(
    tx,
    `DELETE FROM ${IDEMPOTENCY_TABLE} WHERE ${WHERE} AND created_at < $3`,
    [scope, key, now - expiresIn * 1000],
  );
  // A concurrent retry's insert waits on the key here until this transaction ends.
  const claimed = await transactionQuery(
    tx,
    `INSERT INTO ${IDEMPOTENCY_TABLE} (operation, idempotency_key, body_hash, status, headers, body, created_at)
VALUES ($1, $2, $3, 0, '{}', NULL, $4) ON CONFLICT DO NOTHING RETURNING operation`,
    [scope, key, inputHash, now],
  );
  if (claimed.length > 0) return undefined;
  const [stored] = await transactionQuery(
    tx,
    `SELECT body_hash, headers, body FROM ${IDEMPOTENCY_TABLE} WHERE ${WHERE}`,
    [scope, key],
  );
  if (stored!.body_hash !== inputHash) {
    throw IDEMPOTENCY_KEY_REUSED(
      `Idempotency-Key "${key}" was first used with another body; send a new key`,
    );
  }
  return {
    headers: JSON.parse(String(stored!.headers)) as Headers,
    body: stored!.body === null ? undefined : JSON.parse(String(stored!.body)),
  };
}

/** Stores the answer of the request that claimed the key, in the transaction that claimed it. */
export async function storeAnswer(
  tx: Transaction,
  { scope, key }: IdempotencyKey,
  status: number,
  answer: StoredAnswer,
): Promise<void> {
  await transactionQuery(
    tx,
    `UPDATE ${IDEMPOTENCY_TABLE} SET status = $1, headers = $2, body = $3
WHERE operation = $4 AND idempotency_key = $5`,
    [
      status,
      JSON.stringify(answer.headers),
      answer.body === undefined ? null : JSON.stringify(answer.body),
      scope,
      key,
    ],
  );
}
