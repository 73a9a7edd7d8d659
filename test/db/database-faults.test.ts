// Which driver errors mean "the database cannot do its part" (503), found however deep the
// statement wrappers put them; and which do not (a constraint, a syntax error stay as they are).

import { describe, expect, it } from 'vitest';
import { databaseFault, sqliteStorageFault } from '../../src/db/database-faults.ts';
import { queryFailed } from '../../src/db/dialect-adapter.ts';
import { UNIQUE_VIOLATION } from '../../src/errors.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('databaseFault', () => {
  it.each([
    [withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'ECONNREFUSED'],
    [withCode('read ECONNRESET', 'ECONNRESET'), 'ECONNRESET'],
    [withCode('terminating connection due to administrator command', '57P01'), '57P01'],
    [withCode('the database system is starting up', '57P03'), '57P03'],
    [withCode('sorry, too many clients already', '53300'), '53300'],
    [withCode('connection failure', '08006'), '08006'],
    [new Error('Connection terminated unexpectedly'), 'connection lost'],
    [new Error('timeout exceeded when trying to connect'), 'connect timeout'],
  ])('names an unreachable PostgreSQL: %s', (cause, code) => {
    const fault = databaseFault(queryFailed(cause, 'select 1'));
    expect(fault).toMatchObject({
      code: 'SPECSTACK_ERR_DATABASE_UNREACHABLE',
      statusCode: 503,
      message: `the database cannot be reached (${code})`,
    });
    // The client's message has neither the host nor the SQL.
    expect(fault!.message).not.toMatch(/127\.0\.0\.1|select/);
  });

  it.each([
    ['SQLITE_FULL', 'the disk holding the database is full (SQLITE_FULL)'],
    ['SQLITE_READONLY', 'the database file is read-only (SQLITE_READONLY)'],
    ['SQLITE_IOERR_WRITE', 'the database file cannot be read or written (SQLITE_IOERR_WRITE)'],
    ['SQLITE_BUSY', 'the database is locked by another writer (SQLITE_BUSY)'],
  ])('names a SQLite file refusing writes: %s', (code, message) => {
    expect(sqliteStorageFault(withCode('x', code))).toBe(message);
    expect(databaseFault(queryFailed(withCode('x', code), 'commit'))).toMatchObject({
      code: 'SPECSTACK_ERR_UNAVAILABLE',
      statusCode: 503,
      message,
    });
  });

  it('leaves other errors alone', () => {
    expect(databaseFault(withCode('duplicate key', '23505'))).toBeUndefined();
    expect(databaseFault(withCode('syntax error', '42601'))).toBeUndefined();
    expect(databaseFault(withCode('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE'))).toBe(
      undefined,
    );
    expect(databaseFault(new Error('boom'))).toBeUndefined();
    expect(databaseFault(UNIQUE_VIOLATION('taken'))).toBeUndefined();
  });
});
