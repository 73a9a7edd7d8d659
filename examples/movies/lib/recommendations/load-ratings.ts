// Streams the ratings table into a RatingMatrix page by page (keyset pagination on the primary
// key, on both dialects), yielding to the event loop between pages so a server stays responsive.

import type { Database } from 'specstack';
import { type RatingMatrix, RatingMatrixBuilder } from './rating-matrix.ts';
import { yieldToEventLoop } from './yield.ts';

export interface LoadRatingsOptions {
  /** Ratings per query. */
  pageSize: number;
  signal?: AbortSignal;
  onPage?: (loaded: number) => void;
}

type Page = (after: number, limit: number) => Promise<unknown[][]>;

const RATINGS_PAGE =
  'SELECT id, user_id, movie_id, rating FROM ratings WHERE id > ? ORDER BY id LIMIT ?';

function pageReader(db: Database): Page {
  const client = db.client;
  if (client.dialect === 'sqlite') {
    const statement = client.sqlite.prepare(RATINGS_PAGE).raw(true);
    return async (after, limit) => statement.all(after, limit) as unknown[][];
  }
  const text = RATINGS_PAGE.replace('?', '$1').replace('?', '$2');
  return async (after, limit) =>
    (await client.pool.query({ text, values: [after, limit], rowMode: 'array' })).rows;
}

export async function loadRatings(
  db: Database,
  options: LoadRatingsOptions,
): Promise<RatingMatrix> {
  const builder = new RatingMatrixBuilder();
  const page = pageReader(db);
  let after = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const rows = await page(after, options.pageSize);
    // PostgreSQL's bigint arrives as a string: Number() reads both.
    for (const row of rows) builder.add(Number(row[1]), Number(row[2]), Number(row[3]));
    options.onPage?.(builder.count);
    if (rows.length < options.pageSize) break;
    after = Number(rows[rows.length - 1]![0]);
    await yieldToEventLoop();
  }
  return builder.build();
}
