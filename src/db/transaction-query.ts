// One raw statement on a transaction's connection, the same text on both dialects: for the few
// writes the repositories have no operation for (a claim that may conflict, rows by a condition).

import type { Row, Transaction } from './database.ts';

/**
 * Placeholders are `$1`, `$2`, … in the order they appear: SQLite gets them as `?`, bound by
 * position. Answers the rows of a statement that returns some, else none.
 */
export async function transactionQuery(
  tx: Transaction,
  text: string,
  params: unknown[],
): Promise<Row[]> {
  const client = tx.client;
  if (client.dialect === 'postgres') return (await client.client.query(text, params)).rows;
  const statement = client.sqlite.prepare(text.replace(/\$\d+/g, '?'));
  if (statement.reader) return statement.all(...params) as Row[];
  statement.run(...params);
  return [];
}

/** A double-quoted SQL identifier, as both dialects read it. */
export const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;
