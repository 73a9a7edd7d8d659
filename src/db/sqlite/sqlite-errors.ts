// better-sqlite3 errors -> SpecstackErrors. Mirrors postgres/postgres-errors.ts.

import {
  FOREIGN_KEY_VIOLATION,
  NOT_NULL_VIOLATION,
  SERVICE_UNAVAILABLE,
  UNIQUE_VIOLATION,
  VALIDATION,
} from '../../errors.ts';
import type { TableDescription } from '../../model/table-description.ts';
import { sqliteStorageFault } from '../database-faults.ts';
import { findCause } from '../dialect-adapter.ts';

interface SqliteError extends Error {
  code: string;
}

function isSqliteError(error: unknown): error is SqliteError {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    (error as unknown as { code: string }).code.startsWith('SQLITE_')
  );
}

/** "UNIQUE constraint failed: pets.name, pets.kind" -> ["name", "kind"]. */
function failedColumns(message: string): string[] {
  const list = message.split('constraint failed:')[1];
  if (!list) return [];
  return list.split(',').map((item) => item.trim().split('.').pop()!);
}

export function mapSqliteError(error: unknown, table: TableDescription): unknown {
  const cause = findCause(error, isSqliteError);
  if (!cause) return error;
  const options = (details: Record<string, unknown>) => ({
    cause,
    details: { table: table.tableName, ...details },
  });
  switch (cause.code) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY': {
      const columns = failedColumns(cause.message);
      return UNIQUE_VIOLATION(
        `a ${table.schemaName} with this ${columns.join(', ')} already exists`,
        options({ columns }),
      );
    }
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      // SQLite does not say which key failed.
      return FOREIGN_KEY_VIOLATION(undefined, options({}));
    case 'SQLITE_CONSTRAINT_NOTNULL': {
      const columns = failedColumns(cause.message);
      return NOT_NULL_VIOLATION(`${columns.join(', ')} is required`, options({ columns }));
    }
    case 'SQLITE_MISMATCH':
      return VALIDATION('a value has the wrong type for its column', options({}));
    default: {
      // The file cannot take the write (read-only, a full disk, an I/O error, locked past the
      // busy timeout): 503, the statement rolled back. The log line names the SQLite code.
      const fault = sqliteStorageFault(cause);
      return fault ? SERVICE_UNAVAILABLE(fault, options({ sqliteCode: cause.code })) : error;
    }
  }
}
