// Raw SQL on either dialect, for bulk reads and writes (the recommender, the seed's user check):
// `?` placeholders become `$n` on PostgreSQL, and statements are prepared once per connection and
// text (reads named on PostgreSQL).

import type BetterSqlite3 from 'better-sqlite3';
import type { Database, Transaction } from 'specstack';

export type Queryable = Database | Transaction;

const prepared = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

function sqliteStatement(sqlite: BetterSqlite3.Database, text: string): BetterSqlite3.Statement {
  let statements = prepared.get(sqlite);
  if (!statements) {
    statements = new Map();
    prepared.set(sqlite, statements);
  }
  let statement = statements.get(text);
  if (!statement) {
    // Bounded by the few fixed statements of this folder: never evicted.
    statement = sqlite.prepare(text);
    statements.set(text, statement);
  }
  return statement;
}

const numbered = new Map<string, string>();

/** `a = ? AND b = ?` -> `a = $1 AND b = $2`. */
export function postgresText(text: string): string {
  let result = numbered.get(text);
  if (result === undefined) {
    let n = 0;
    result = text.replace(/\?/g, () => `$${++n}`);
    numbered.set(text, result);
  }
  return result;
}

/** A SQLite statement to run many times synchronously (bulk writes), prepared once. */
export function sqliteStatementOf(
  on: Queryable,
  text: string,
): BetterSqlite3.Statement | undefined {
  return on.client.dialect === 'sqlite' ? sqliteStatement(on.client.sqlite, text) : undefined;
}

const statementNames = new Map<string, string>();

/**
 * A read as a named statement: each PostgreSQL connection parses and plans it once, not on every
 * request. Bounded like the SQLite statements: this folder's fixed reads, and one per list size
 * for the `IN (…)` reads.
 */
function namedQuery(text: string, values: unknown[]) {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `movies_read_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return { name, text: postgresText(text), values };
}

export async function queryRows<T = Record<string, unknown>>(
  on: Queryable,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = on.client;
  // An array binds the `?`s in order, as spread arguments do, without spreading them.
  if (client.dialect === 'sqlite') return sqliteStatement(client.sqlite, text).all(params) as T[];
  const runner = 'pool' in client ? client.pool : client.client;
  return (await runner.query(namedQuery(text, params))).rows as T[];
}

export async function execute(on: Queryable, text: string, params: unknown[] = []): Promise<void> {
  const client = on.client;
  if (client.dialect === 'sqlite') {
    sqliteStatement(client.sqlite, text).run(params);
    return;
  }
  const runner = 'pool' in client ? client.pool : client.client;
  await runner.query(postgresText(text), params);
}

/** A movie's genres as stored: JSON text on SQLite, jsonb (already parsed) on PostgreSQL. */
export function genresOf(value: unknown): string[] {
  const parsed = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? parsed.filter((g): g is string => typeof g === 'string') : [];
}

/** A JSON array of numbers as stored (text on SQLite, parsed jsonb on PostgreSQL). */
export function numbersOf(value: unknown): number[] {
  const parsed = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(parsed)) return [];
  // Numbers as they come (the recommender writes them so): mapping every neighbour of a movie
  // through Number() was the dearest step of reading its similar movies.
  for (const item of parsed) if (typeof item !== 'number') return parsed.map(Number);
  return parsed;
}

/**
 * A row limit as SQL text, for reads on the request path. Bound as `LIMIT ?`, SQLite (3.47 and
 * later) plans with its value and prepares the statement again whenever it is bound, that is on
 * every run; written into the text, each limit is a statement prepared once.
 */
export function limitClause(limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`not a row limit: ${limit}`);
  return `LIMIT ${limit}`;
}

const placeholderLists: string[] = [];

/** `?, ?, ?` for an `IN (…)` of `count` values, written once per count. */
export function placeholders(count: number): string {
  placeholderLists[count] ??= Array.from({ length: count }, () => '?').join(', ');
  return placeholderLists[count];
}
