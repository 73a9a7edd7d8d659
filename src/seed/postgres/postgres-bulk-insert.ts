// Bulk inserts on PostgreSQL: multi-row VALUES under the 65,535 bound-parameter limit, `DEFAULT`
// for an identity key a row leaves out. A refused statement aborts the transaction, so the row at
// fault is found from the error's `Key (…)=(…)` detail instead of by retrying. Explicit identity
// values move the column's sequence past them, so keys generated later do not collide.
// Mirrors sqlite/sqlite-bulk-insert.ts.

import type pg from 'pg';
import { mapPostgresError } from '../../db/postgres/postgres-errors.ts';
import {
  type BulkShape,
  type BulkWriter,
  quoteIdentifier,
  RowFailure,
  rowsPerStatement,
} from '../bulk-insert.ts';
import type { EncodedRow } from '../encode-row.ts';

/** The wire protocol counts bound parameters in 16 bits. */
export const POSTGRES_MAX_PARAMETERS = 65_535;

function statement(shape: BulkShape, rows: EncodedRow[], from: number, to: number) {
  const values: unknown[] = [];
  const tuples: string[] = [];
  for (let r = from; r < to; r += 1) {
    const row = rows[r]!;
    const slots = shape.columns.map((i) => {
      if (row[i] === undefined) return 'DEFAULT';
      values.push(row[i]);
      return `$${values.length}`;
    });
    tuples.push(`(${slots.join(', ')})`);
  }
  const names = shape.columns.map((i) => quoteIdentifier(shape.table.columns[i]!.name));
  const text = `INSERT INTO ${quoteIdentifier(shape.table.tableName)} (${names.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`;
  return { text, values };
}

/** `Key (user_id, movie_id)=(7, 999) is not present…` -> the first row holding those values. */
function rowOfDetail(
  shape: BulkShape,
  rows: EncodedRow[],
  from: number,
  to: number,
  error: unknown,
): number | undefined {
  const detail = (error as { detail?: unknown }).detail;
  const match = typeof detail === 'string' ? /^Key \((.+?)\)=\((.*)\)/.exec(detail) : null;
  if (!match) return undefined;
  const names = match[1]!.split(', ').map((name) => name.replace(/^"(.*)"$/, '$1'));
  const wanted = match[2]!.split(', ');
  if (names.length !== wanted.length) return undefined;
  const at = names.map((name) => shape.table.columns.findIndex((c) => c.name === name));
  if (at.includes(-1)) return undefined;
  for (let r = from; r < to; r += 1) {
    if (at.every((i, k) => String(rows[r]![i]) === wanted[k])) return r;
  }
  return undefined;
}

/** Moves identity sequences past the largest explicit value of this statement, never back. */
async function advanceSequences(client: pg.PoolClient, shape: BulkShape, rows: EncodedRow[]) {
  for (const i of shape.columns) {
    const column = shape.table.columns[i]!;
    if (!column.autoincrement) continue;
    let max = Number.NEGATIVE_INFINITY;
    for (const row of rows) if (typeof row[i] === 'number' && row[i] > max) max = row[i];
    if (!Number.isFinite(max)) continue;
    await client.query(
      `SELECT setval(s, $3) FROM (SELECT pg_get_serial_sequence($1, $2)::regclass AS s) q
       WHERE s IS NOT NULL AND coalesce(pg_sequence_last_value(s), 0) < $3`,
      [quoteIdentifier(shape.table.tableName), column.name, max],
    );
  }
}

export function postgresBulkInsert(client: pg.PoolClient): BulkWriter {
  return async (shape, rows) => {
    const step = rowsPerStatement(POSTGRES_MAX_PARAMETERS, shape.columns.length);
    let inserted = 0;
    for (let from = 0; from < rows.length; from += step) {
      const to = Math.min(rows.length, from + step);
      try {
        inserted += (await client.query(statement(shape, rows, from, to))).rowCount ?? 0;
      } catch (error) {
        const mapped = mapPostgresError(error, shape.table);
        const row = rowOfDetail(shape, rows, from, to, error);
        throw row === undefined ? mapped : new RowFailure(row, mapped);
      }
    }
    await advanceSequences(client, shape, rows);
    return inserted;
  };
}
