// The database cannot do its part, whatever code path met it (a repository, a transaction's
// COMMIT, a handler's own query): 503 in the spec's error shape, never a 500. On PostgreSQL, a
// server that cannot be reached or went away under a query (stopped, restarted, out of
// connections, a network cut); on SQLite, a file that cannot take the write (read-only, a full
// disk, an I/O error, locked past the busy timeout). The client is told the cause and its code;
// the log line (http/error-handler.ts) has the driver's message.

import {
  DATABASE_UNREACHABLE,
  isSpecstackError,
  SERVICE_UNAVAILABLE,
  type SpecstackError,
} from '../errors.ts';
import { findCause } from './dialect-adapter.ts';

/** Node's socket errors for a server that is not there, or that dropped the connection. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs: class 08 (connection exception), 57P01-57P03 (the server is shutting down, crashed, or
 * not yet accepting connections), 53300 (too many connections).
 */
function isUnavailableSqlState(code: string): boolean {
  return /^08[0-9A-Z]{3}$/.test(code) || ['57P01', '57P02', '57P03', '53300'].includes(code);
}

/** node-postgres and pg-pool raise these with no code. */
const DRIVER_MESSAGES = new Set([
  'Connection terminated',
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
]);

/** SQLite's primary result codes (SQLITE_IOERR_WRITE -> SQLITE_IOERR) for a file refusing writes. */
const SQLITE_STORAGE: Record<string, string> = {
  SQLITE_READONLY: 'the database file is read-only',
  SQLITE_FULL: 'the disk holding the database is full',
  SQLITE_IOERR: 'the database file cannot be read or written',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
  SQLITE_BUSY: 'the database is locked by another writer',
};

function codeOf(candidate: unknown): string | undefined {
  const code = (candidate as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The SQLite storage fault of an error (its message and code), else undefined. */
export function sqliteStorageFault(error: unknown): string | undefined {
  const code = codeOf(error);
  if (!code?.startsWith('SQLITE_')) return undefined;
  const reason = SQLITE_STORAGE[code.split('_').slice(0, 2).join('_')];
  return reason ? `${reason} (${code})` : undefined;
}

/** The PostgreSQL connection fault of an error, else undefined. */
function connectionFault(candidate: unknown): string | undefined {
  if (!(candidate instanceof Error)) return undefined;
  const code = codeOf(candidate);
  if (code && (SOCKET_CODES.has(code) || isUnavailableSqlState(code))) {
    return `the database cannot be reached (${code})`;
  }
  if (DRIVER_MESSAGES.has(candidate.message)) {
    const kind = candidate.message.includes('timeout') ? 'connect timeout' : 'connection lost';
    return `the database cannot be reached (${kind})`;
  }
  return undefined;
}

const isConnectionFault = (candidate: unknown): candidate is Error =>
  connectionFault(candidate) !== undefined;
const isStorageFault = (candidate: unknown): candidate is Error =>
  sqliteStorageFault(candidate) !== undefined;

/**
 * A 503 for an error caused by the database (see above), else undefined: a PostgreSQL server out
 * of reach is SPECSTACK_ERR_DATABASE_UNREACHABLE, a SQLite file refusing writes
 * SPECSTACK_ERR_UNAVAILABLE. A SpecstackError is left as it is: it was named already.
 */
export function databaseFault(error: unknown): SpecstackError | undefined {
  if (isSpecstackError(error)) return undefined;
  const unreachable = findCause(error, isConnectionFault);
  if (unreachable) return DATABASE_UNREACHABLE(connectionFault(unreachable), { cause: error });
  const storage = findCause(error, isStorageFault);
  if (storage) {
    return SERVICE_UNAVAILABLE(sqliteStorageFault(storage), {
      cause: error,
      details: { sqliteCode: codeOf(storage) },
    });
  }
  return undefined;
}
