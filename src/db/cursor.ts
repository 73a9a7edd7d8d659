// Opaque keyset-pagination cursors: base64url JSON of the sort signature and the last row's sort values.

import { VALIDATION } from '../errors.ts';

interface CursorPayload {
  /** The sort the cursor was made for; a cursor is only valid with the same sort. */
  s: string;
  /** The last row's values for each sort term (primary key last), in API form. */
  v: unknown[];
}

export function encodeCursor(sortSignature: string, values: unknown[]): string {
  const payload: CursorPayload = { s: sortSignature, v: values };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function badCursor(reason: string): never {
  throw VALIDATION(`query.cursor: ${reason}`, { pointer: 'query.cursor' });
}

export function decodeCursor(token: string, sortSignature: string, length: number): unknown[] {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) badCursor('is not a cursor returned by this API');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    badCursor('is not a cursor returned by this API');
  }
  const { s, v } = (payload ?? {}) as Partial<CursorPayload>;
  if (typeof s !== 'string' || !Array.isArray(v) || v.length !== length) {
    badCursor('is not a cursor returned by this API');
  }
  if (s !== sortSignature) badCursor('was made for a different sort order');
  return v;
}
