// The hand-written movies baseline on PostgreSQL: Fastify 5 and node-postgres named queries on a
// pool of pg's default size (specstack's), with the SQL specstack runs for the measured reads (its
// search statement and rating summary, the example's recommendation queries), the example's
// answer schemas, and jose bearer tokens. Searches that match nothing are answered empty: no
// typo retry. Run by run.ts.
//
//   DATABASE_URL=postgres://… JWT_SECRET=… PORT=8001 node --import tsx bench/movies/handwritten-postgres.ts

import Fastify from 'fastify';
import pg from 'pg';
import {
  type MovieRow,
  recommendationOf,
  type SearchRow,
  type StoredRow,
  similarOf,
  withSummaries,
} from './handwritten-answers.ts';
import { authenticate, mayReadUser } from './handwritten-auth.ts';
import {
  MOVIE_EXISTS,
  moviesByIds,
  NEIGHBOURS,
  POSTGRES_RATING_SUMMARIES,
  statementsByCount,
  statementsByKey,
  storedListOf,
  USER_EXISTS,
} from './handwritten-queries.ts';
import {
  errorHandler,
  fail,
  MAX_LIST_LIMIT,
  recommendationsSchema,
  searchSchema,
  similarSchema,
} from './handwritten-schemas.ts';
import { parseSearch, postgresMatch, searchOffset, takePage } from './handwritten-search.ts';

// Ids and counts are bigint: read them as numbers, as the API presents them.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });

/** `a = ? AND b = ?` -> `a = $1 AND b = $2`. */
const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

// Matches of the generated tsvector column ranked by the exact-title boost on the stored title
// key, then ts_rank with the x-search weights, then the key.
const SEARCH = `select "id", "title", "description", "release_year", "genres", "created_at" from "movies" where "movies"."specstack_search" @@ to_tsquery('simple'::regconfig, specstack_search_fold($1)) order by case when cast($2 as text) = '' then 0 when "movies"."specstack_search_key" = cast($3 as text) then 3 when left("movies"."specstack_search_key", length(cast($4 as text))) = cast($5 as text) then 2 when cardinality(string_to_array("movies"."specstack_search_key", ' ')) = cast($6 as integer) then 1 else 0 end desc, ts_rank('{0.1, 0.2, 0.4, 1.0}', "movies"."specstack_search", to_tsquery('simple'::regconfig, specstack_search_fold($7)), 1) desc, "movies"."id" asc limit $8`;
const firstPage = { name: 'search', text: SEARCH };
const laterPage = { name: 'search-page', text: `${SEARCH} offset $9` };
const summaries = {
  name: 'rating-summaries',
  text: numbered(POSTGRES_RATING_SUMMARIES),
  rowMode: 'array' as const,
};
const neighbours = { name: 'neighbours', text: numbered(NEIGHBOURS) };
const movies = statementsByCount(MAX_LIST_LIMIT, (count) => ({
  name: `movies-by-ids-${count}`,
  text: numbered(moviesByIds(count)),
}));
const movieExists = { name: 'movie-exists', text: numbered(MOVIE_EXISTS) };
const userExists = { name: 'user-exists', text: numbered(USER_EXISTS) };
const storedList = statementsByKey((limit: number) => ({
  name: `stored-list-${limit}`,
  text: numbered(storedListOf(limit)),
}));

async function rowsOf<T extends pg.QueryResultRow>(
  query: { name: string; text: string },
  values: unknown[],
): Promise<T[]> {
  return (await pool.query<T>({ ...query, values })).rows;
}

const app = Fastify({ logger: false });
app.setErrorHandler(errorHandler);
app.decorateRequest('claims', null);

app.get<{ Querystring: { q: string; limit: number; cursor?: string } }>(
  '/api/movies',
  { schema: searchSchema },
  async (request, reply) => {
    const { q, limit, cursor } = request.query;
    const offset = searchOffset(cursor);
    if (offset === undefined) return fail(reply, 400, 'VALIDATION', 'query.cursor: not a cursor');
    const text = parseSearch(q);
    if (!text) return reply.send([]);
    const match = postgresMatch(text);
    const prefix = `${text.key} `;
    const values = [match, text.key, text.key, prefix, prefix, -1, match, limit + 1];
    const found =
      cursor === undefined
        ? await rowsOf<SearchRow>(firstPage, values)
        : await rowsOf<SearchRow>(laterPage, [...values, offset]);
    const rows = takePage(found, { url: request.url, offset, limit }, reply);
    if (rows.length === 0) return reply.send(rows);
    const { rows: ratings } = await pool.query<[number, number, number | null]>({
      ...summaries,
      values: [rows.map((row) => row.id)],
    });
    return reply.send(withSummaries(rows, ratings));
  },
);

app.get<{ Params: { id: number }; Querystring: { limit: number } }>(
  '/api/movies/:id/similar',
  { schema: similarSchema },
  async (request, reply) => {
    const { id } = request.params;
    const [stored] = await rowsOf<{ similar_ids: number[]; scores: number[] }>(neighbours, [id]);
    if (!stored) {
      if ((await rowsOf(movieExists, [id])).length > 0) return reply.send([]);
      return fail(reply, 404, 'NOT_FOUND', `movie ${id} not found`);
    }
    const ids = stored.similar_ids.slice(0, request.query.limit);
    const rows = ids.length > 0 ? await rowsOf<MovieRow>(movies[ids.length - 1]!, ids) : [];
    return reply.send(similarOf(ids, stored.scores, rows));
  },
);

app.get<{ Params: { id: number }; Querystring: { limit: number } }>(
  '/api/users/:id/recommendations',
  { schema: recommendationsSchema, onRequest: authenticate },
  async (request, reply) => {
    const { id } = request.params;
    if (!mayReadUser(request.claims, id)) {
      return fail(reply, 403, 'FORBIDDEN', 'only the user themselves or an admin may do this');
    }
    const rows = await rowsOf<StoredRow>(storedList(request.query.limit), [id]);
    if (rows.length > 0) return reply.send(rows.map(recommendationOf));
    // specstack computes a list on the fly here (cold start): the runner asks only for stored ones.
    if ((await rowsOf(userExists, [id])).length === 0) {
      return fail(reply, 404, 'NOT_FOUND', `user ${id} not found`);
    }
    return fail(reply, 501, 'NOT_STORED', `user ${id} has no stored list`);
  },
);

await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    await app.close();
    await pool.end();
  });
}
