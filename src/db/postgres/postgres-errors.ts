// node-postgres errors (SQLSTATE codes) -> SpecstackErrors. Mirrors sqlite/sqlite-errors.ts.

import {
  FOREIGN_KEY_VIOLATION,
  NOT_NULL_VIOLATION,
  UNIQUE_VIOLATION,
  VALIDATION,
} from '../../errors.ts';
import type { TableDescription } from '../../model/table-description.ts';
import { databaseFault } from '../database-faults.ts';
import { findCause } from '../dialect-adapter.ts';

interface PgError extends Error {
  code: string;
  detail?: string;
  column?: string;
  constraint?: string;
}

function isPgError(error: unknown): error is PgError {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((error as unknown as { code: string }).code)
  );
}

/** `Key (name, "ownerId")=(x, 1) already exists.` -> ["name", "ownerId"]. */
function keyColumns(detail: string | undefined): string[] {
  const match = detail ? /^Key \((.+?)\)=/.exec(detail) : null;
  if (!match) return [];
  return match[1]!.split(',').map((name) => name.trim().replace(/^"(.*)"$/, '$1'));
}

// Class 22 (data exception): a value the column cannot hold, e.g. a string too long or a bad UUID.
const DATA_EXCEPTIONS = new Set(['22001', '22003', '22007', '22008', '22P02', '22023']);

export function mapPostgresError(error: unknown, table: TableDescription): unknown {
  // The server stopped, restarted or cannot be reached: 503, not a 500.
  const unavailable = databaseFault(error);
  if (unavailable) return unavailable;
  const cause = findCause(error, isPgError);
  if (!cause) return error;
  const options = (details: Record<string, unknown>) => ({
    cause,
    details: { table: table.tableName, ...details },
  });
  switch (cause.code) {
    case '23505': {
      const columns = keyColumns(cause.detail);
      return UNIQUE_VIOLATION(
        `a ${table.schemaName} with this ${columns.join(', ')} already exists`,
        options({ columns, constraint: cause.constraint }),
      );
    }
    case '23503':
      return FOREIGN_KEY_VIOLATION(
        undefined,
        options({ columns: keyColumns(cause.detail), constraint: cause.constraint }),
      );
    case '23502': {
      const columns = cause.column ? [cause.column] : [];
      return NOT_NULL_VIOLATION(`${columns.join(', ')} is required`, options({ columns }));
    }
    default:
      if (DATA_EXCEPTIONS.has(cause.code)) return VALIDATION(cause.message, options({}));
      return error;
  }
}
