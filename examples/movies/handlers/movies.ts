// POST /movies/bulk: every movie is inserted in one transaction, so a bad one leaves none behind.

import { respond } from 'specstack';
import { handler } from '../types/spec.ts';

export const bulkCreateMovies = handler('bulkCreateMovies', async (context) => {
  const created = await context.db.transaction(async (tx) => {
    const movies = tx.repository('Movie');
    const rows = [];
    for (const movie of context.body) rows.push(await movies.insert({ ...movie }));
    return rows;
  });
  return respond(201, created);
});
