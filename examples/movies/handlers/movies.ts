// POST /movies/bulk: every movie is inserted in one transaction, so a bad one leaves none behind.

import { type HandlerContext, respond } from 'specstack';

interface MovieInput {
  title: string;
  description?: string | null;
  release_year?: number | null;
  genres?: string[];
}

export async function bulkCreateMovies(context: HandlerContext<object, object, MovieInput[]>) {
  const created = await context.db.transaction(async (tx) => {
    const movies = tx.repository('Movie');
    const rows = [];
    for (const movie of context.body) rows.push(await movies.insert({ ...movie }));
    return rows;
  });
  return respond(201, created);
}
