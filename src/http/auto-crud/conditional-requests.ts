// Conditional requests on auto-CRUD item routes (RFC 9110 §13): a strong ETag on every read and
// write answer, 304 for a matching If-None-Match, and If-Match on writes checked in the same
// transaction as the write, with the row locked, so no other writer slips in between.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database, Key, Row, Transaction } from '../../db/database.ts';
import type { MaybePromise } from '../../db/dialect-adapter.ts';
import type { RowView } from '../../db/row-reader.ts';
import { type RepositoryView, repositoryView } from '../../db/table-repository.ts';
import { quoteIdentifier as quoted } from '../../db/transaction-query.ts';
import { PRECONDITION_FAILED, PRECONDITION_REQUIRED } from '../../errors.ts';
import type { TableDescription } from '../../model/table-description.ts';
import type { Operation } from '../operations.ts';
import { fingerprint } from './fingerprint.ts';

/**
 * The row's strong validator: a fingerprint of its JSON in the response's view, so a read and a
 * later write's check hash the same text. A hash, not a version column, so every table has one.
 */
export function etagOf(row: Row): string {
  return `"${fingerprint(JSON.stringify(row))}"`;
}

/** The entity tags of an If-Match / If-None-Match value; `*` stands for any. */
function tagsOf(value: string): string[] {
  return value.split(',').map((tag) => tag.trim());
}

/** If-None-Match uses the weak comparison: `W/"x"` matches `"x"`. */
function noneMatchHits(header: string, etag: string): boolean {
  return tagsOf(header).some((tag) => tag === '*' || tag.replace(/^W\//, '') === etag);
}

/** If-Match uses the strong comparison: a weak tag never matches. */
function matchHits(header: string, etag: string): boolean {
  return tagsOf(header).some((tag) => tag === '*' || tag === etag);
}

/**
 * A read's answer with its ETag, or a bodyless 304 when the client's copy is current.
 * `answer` is the route's own answer for the row.
 */
export function answerRead(
  request: FastifyRequest,
  reply: FastifyReply,
  row: Row,
  answer: (reply: FastifyReply, row: Row) => unknown,
): unknown {
  const etag = etagOf(row);
  reply.header('etag', etag);
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined && noneMatchHits(ifNoneMatch, etag)) {
    reply.code(304).send();
    return undefined;
  }
  return answer(reply, row);
}

/**
 * A request check for operations that declare their If-Match header required: a request without
 * one is a 428 (RFC 6585), not a 400, so the client knows to read first. Runs before validation.
 */
export function ifMatchCheck(
  operation: Operation,
): ((request: FastifyRequest) => void) | undefined {
  const required = operation.parameters.some(
    (parameter) =>
      parameter.in === 'header' &&
      parameter.name.toLowerCase() === 'if-match' &&
      parameter.required === true,
  );
  if (!required) return undefined;
  return (request) => {
    if (request.headers['if-match'] === undefined) throw PRECONDITION_REQUIRED();
  };
}

/** The row written, or undefined when there is none with that key (a 404). */
export type ConditionalWrite = (
  request: FastifyRequest,
  key: Key,
  write: (rows: RepositoryView, current: Row, tx: Transaction) => MaybePromise<Row | undefined>,
) => Promise<Row | undefined> | undefined;

/**
 * The write path for requests that carry If-Match: undefined when the request has none, so the
 * route takes its plain path. Throws 412 when the row changed.
 */
export function conditionalWriter(
  db: Database,
  table: TableDescription,
  view: RowView,
): ConditionalWrite {
  const key = table.primaryKey[0]!;
  // PostgreSQL's READ COMMITTED lets two transactions read the same version: the lock orders them.
  const lock = `SELECT 1 FROM ${quoted(table.tableName)} WHERE ${quoted(key)} = $1 FOR UPDATE`;
  return (request, keyValue, write) => {
    const ifMatch = request.headers['if-match'];
    if (ifMatch === undefined) return undefined;
    return db.transaction(async (tx) => {
      if (tx.client.dialect === 'postgres') await tx.client.client.query(lock, [keyValue]);
      const rows = repositoryView(tx.repository(table.schemaName), view);
      const current = await rows.findByKey(keyValue);
      if (!current) return undefined;
      const etag = etagOf(current);
      if (!matchHits(ifMatch, etag)) {
        throw PRECONDITION_FAILED(
          `${table.schemaName} ${String(keyValue)} has changed since it was read (its ETag is now ${etag})`,
        );
      }
      return write(rows, current, tx);
    });
  };
}
