// Values between their API form (JSON-ready: ISO strings, base64, parsed JSON) and the drivers.
// Writes and filters are encoded here for the driver; reads are decoded by row-reader.ts.

import { VALIDATION } from '../errors.ts';
import type { ColumnDescription } from '../model/table-description.ts';
import type { Dialect } from './database.ts';

function invalid(column: ColumnDescription, pointer: string, expected: string): never {
  throw VALIDATION(`${pointer}: must be ${expected}`, {
    pointer,
    details: { column: column.name, expected },
  });
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function toNumber(column: ColumnDescription, value: unknown, pointer: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return invalid(column, pointer, 'a number');
  if ((column.type === 'integer' || column.type === 'bigint') && !Number.isInteger(n)) {
    return invalid(column, pointer, 'an integer');
  }
  // PostgreSQL's integer is 32 bits; SQLite would store more, and both dialects answer alike.
  if (column.type === 'integer' && (n < INT32_MIN || n > INT32_MAX)) {
    return invalid(column, pointer, `an integer from ${INT32_MIN} to ${INT32_MAX}`);
  }
  return n;
}

function toBoolean(column: ColumnDescription, value: unknown, pointer: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return invalid(column, pointer, 'a boolean');
}

// PostgreSQL text and jsonb cannot hold U+0000; refused on every dialect so both behave alike.
const NUL = '\u0000';
/** `\u0000` in JSON text, not preceded by an escaped backslash. */
const ESCAPED_NUL = /(?:^|[^\\])(?:\\\\)*\\u0000/;

function toText(column: ColumnDescription, value: unknown, pointer: string): string {
  if (typeof value === 'string') {
    return value.includes(NUL) ? invalid(column, pointer, 'text without the NUL character') : value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return invalid(column, pointer, 'a string');
}

const TIMESTAMP =
  // eslint-disable-next-line security/detect-unsafe-regex -- linear: no repetition can match the same text two ways (checked on 1 MB inputs)
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Any ISO 8601 / PostgreSQL timestamp text -> `YYYY-MM-DDTHH:mm:ss.sssZ`, or undefined. */
export function normalizeTimestamp(text: string): string | undefined {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) return undefined;
  let zone = match[3] ?? 'Z';
  if (/^[+-]\d{2}$/.test(zone)) zone = `${zone}:00`;
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${match[1]}T${match[2]}${zone.toUpperCase()}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function toTimestamp(column: ColumnDescription, value: unknown, pointer: string): string {
  const iso =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'string'
        ? normalizeTimestamp(value)
        : undefined;
  // Always UTC with milliseconds: on SQLite the text then sorts in time order.
  return iso ?? invalid(column, pointer, 'an ISO 8601 date-time');
}

function toDate(column: ColumnDescription, value: unknown, pointer: string): string {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  if (typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text)) {
    if (!Number.isNaN(new Date(`${text}T00:00:00Z`).getTime())) return text;
  }
  return invalid(column, pointer, 'an ISO 8601 date (YYYY-MM-DD)');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toBinary(column: ColumnDescription, value: unknown, pointer: string): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(value)) {
    return Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
  }
  return invalid(column, pointer, 'base64 text');
}

/** API value -> the value bound to the driver for this column. `pointer` names the value in errors. */
export function toDriver(
  column: ColumnDescription,
  value: unknown,
  dialect: Dialect,
  pointer: string,
): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'integer':
    case 'bigint':
    case 'real':
    case 'double':
      return toNumber(column, value, pointer);
    case 'boolean': {
      const flag = toBoolean(column, value, pointer);
      return dialect === 'sqlite' ? (flag ? 1 : 0) : flag;
    }
    case 'text':
      return toText(column, value, pointer);
    case 'date':
      return toDate(column, value, pointer);
    case 'timestamp':
      return toTimestamp(column, value, pointer);
    case 'uuid': {
      if (typeof value === 'string' && UUID.test(value)) return value.toLowerCase();
      return invalid(column, pointer, 'a UUID');
    }
    case 'binary':
      return toBinary(column, value, pointer);
    case 'json': {
      // Stringified for both drivers: node-postgres would turn a JS array into a PostgreSQL array.
      const json = JSON.stringify(value);
      return ESCAPED_NUL.test(json)
        ? invalid(column, pointer, 'JSON without the NUL character')
        : json;
    }
  }
}
