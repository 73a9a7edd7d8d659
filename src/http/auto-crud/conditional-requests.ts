// Conditional requests on auto-CRUD item routes (RFC 9110 §13): a strong ETag on every read and
// write answer, 304 for a matching If-None-Match, and If-Match on writes checked in the same
// transaction as the write, with the row locked, so no other writer slips in between. On an
// x-versioned table the tag is the row's version and the check is part of the write's own WHERE.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database, Key, Row, Transaction } from '../../db/database.ts';
import type { MaybePromise } from '../../db/dialect-adapter.ts';
import { type RowView, versionOf } from '../../db/row-reader.ts';
import { type RepositoryView, repositoryView } from '../../db/table-repository.ts';
import { quoteIdentifier as quoted } from '../../db/transaction-query.ts';
import { PRECONDITION_FAILED, PRECONDITION_REQUIRED } from '../../errors.ts';
import type { TableDescription } from '../../model/table-description.ts';
import type { Operation } from '../operations.ts';
import { fingerprintRow } from './fingerprint.ts';

/** A row's strong validator, quoted as an ETag header carries it. */
export type EntityTag = (row: Row) => string;

/**
 * A fingerprint of the row in the response's view, so a read and a later write's check hash the
 * same fields: every table has one, with no column for it.
 */
const fingerprintTag: EntityTag = (row) => `"${fingerprintRow(row)}"`;

/** An x-versioned row's version (its column is hidden from the answer, not from the reader). */
const versionTag: EntityTag = (row) => `"${versionOf(row)}"`;

export function entityTagOf(table: TableDescription): EntityTag {
  return table.version === undefined ? fingerprintTag : versionTag;
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
  etagOf: EntityTag,
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

/**
 * A route's write, given the rows to write through, the transaction they belong to (the links of
 * to-many relationships are written in it) and, on an x-versioned table, the version the row must
 * hold (undefined: write whatever it holds). Undefined when nothing matched.
 */
export type GuardedWrite = (
  rows: RepositoryView,
  tx: Transaction,
  version?: number,
) => MaybePromise<Row | undefined>;

/** The row written, or undefined when there is none with that key (a 404). */
export type ConditionalWrite = (
  request: FastifyRequest,
  key: Key,
  write: GuardedWrite,
) => Promise<Row | undefined> | undefined;

const stale = (table: TableDescription, key: Key, etag: string) =>
  PRECONDITION_FAILED(
    `${table.schemaName} ${String(key)} has changed since it was read (its ETag is now ${etag})`,
  );

/**
 * The write path for requests that carry If-Match: undefined when the request has none, so the
 * route takes its plain path. Throws 412 when the row changed.
 */
export function conditionalWriter(
  db: Database,
  table: TableDescription,
  view: RowView,
): ConditionalWrite {
  return table.version === undefined
    ? lockingWriter(db, table, view)
    : versionedWriter(db, table, view);
}

/** The largest version the column holds (a 32-bit integer on both dialects). */
const MAX_VERSION = 2 ** 31 - 1;

/**
 * The version an If-Match tag names: `"3"` is version 3; any other tag names none, nor does a
 * number the column cannot hold (the driver would refuse it as a parameter).
 */
function versionNamed(tag: string): number | undefined {
  const match = /^"(\d{1,10})"$/.exec(tag);
  const version = match ? Number(match[1]) : undefined;
  return version !== undefined && version <= MAX_VERSION ? version : undefined;
}

/**
 * x-versioned: one statement writes only while the row holds the version the tag names, so two
 * writers with one tag cannot both succeed, on either dialect, without a lock. The transaction
 * holds what else the write changes (a to-many relationship's links) with it. When nothing
 * matched, a read tells a stale tag (412) from a missing row (404).
 */
function versionedWriter(db: Database, table: TableDescription, view: RowView): ConditionalWrite {
  return (request, key, write) => {
    const ifMatch = request.headers['if-match'];
    if (ifMatch === undefined) return undefined;
    const tags = tagsOf(ifMatch);
    return db.transaction(async (tx) => {
      const rows = repositoryView(tx.repository(table.schemaName), view);
      if (tags.includes('*')) return write(rows, tx);
      // Several tags: each try is atomic, and the first that matches wins.
      for (const tag of tags) {
        const version = versionNamed(tag);
        if (version === undefined) continue;
        const written = await write(rows, tx, version);
        if (written) return written;
      }
      const current = await rows.findByKey(key);
      if (!current) return undefined;
      throw stale(table, key, versionTag(current));
    });
  };
}

/** Any table: the row is read, compared and written in one transaction that holds it. */
function lockingWriter(db: Database, table: TableDescription, view: RowView): ConditionalWrite {
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
      const etag = fingerprintTag(current);
      if (!matchHits(ifMatch, etag)) throw stale(table, keyValue, etag);
      return write(rows, tx);
    });
  };
}
