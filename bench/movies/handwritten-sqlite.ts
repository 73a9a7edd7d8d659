// The hand-written movies baseline on SQLite: Fastify 5 and better-sqlite3 statements prepared at
// startup with the SQL specstack runs for the measured reads (its search statement and rating
// summary, the example's recommendation queries), the example's answer schemas, and jose bearer
// tokens. Searches that match nothing are answered empty: no typo retry. Run by run.ts.
//
//   DATABASE_FILE=movies.db JWT_SECRET=… PORT=8001 node --import tsx bench/movies/handwritten-sqlite.ts

import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import {
  jsonArray,
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
  SQLITE_RATING_SUMMARIES,
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
import {
  parseSearch,
  searchBoost,
  searchOffset,
  sqliteMatch,
  takePage,
} from './handwritten-search.ts';

const sqlite = new BetterSqlite3(process.env.DATABASE_FILE!);
// The pragmas specstack sets.
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = NORMAL');
sqlite.pragma('foreign_keys = ON');
sqlite.pragma('busy_timeout = 5000');
sqlite.function('specstack_search_boost', { deterministic: true }, searchBoost);

// FTS5 hits ranked by the exact-title boost, then bm25 with the x-search weights (title 1,
// description 0.4, year 0.1), then the key. The row limit is in the text, as specstack writes it
// on SQLite (bound, it would have the statement prepared again on every run).
const searchOf = (rows: number) =>
  `select "movies"."id", "movies"."title", "movies"."description", "movies"."release_year", "movies"."genres", "movies"."created_at" from "movies" inner join (SELECT rowid AS "search_rowid", bm25("movies_search", 1, 0.4, 0.1) AS "search_rank" FROM "movies_search" WHERE "movies_search" MATCH ?) AS "search_hits" on "search_hits"."search_rowid" = "movies"."id" order by specstack_search_boost("movies"."title", ?, ?, ?) desc, "search_hits"."search_rank" asc, "movies"."id" asc limit ${rows}`;
const firstPage = statementsByKey((rows: number) =>
  sqlite.prepare<unknown[], SearchRow>(searchOf(rows)),
);
const laterPage = statementsByKey((rows: number) =>
  sqlite.prepare<unknown[], SearchRow>(`${searchOf(rows)} offset ?`),
);
const summaries = sqlite
  .prepare<[string], [number, number, number | null]>(SQLITE_RATING_SUMMARIES)
  .raw(true);
const neighbours = sqlite.prepare<[number], { similar_ids: string; scores: string }>(NEIGHBOURS);
const movies = statementsByCount(MAX_LIST_LIMIT, (count) =>
  sqlite.prepare<unknown[], MovieRow>(moviesByIds(count)),
);
const movieExists = sqlite.prepare<[number], { id: number }>(MOVIE_EXISTS);
const userExists = sqlite.prepare<[number], { id: number }>(USER_EXISTS);
const storedList = statementsByKey((limit: number) =>
  sqlite.prepare<[number], StoredRow>(storedListOf(limit)),
);

const app = Fastify({ logger: false });
app.setErrorHandler(errorHandler);
app.decorateRequest('claims', null);

app.get<{ Querystring: { q: string; limit: number; cursor?: string } }>(
  '/api/movies',
  { schema: searchSchema },
  (request, reply) => {
    const { q, limit, cursor } = request.query;
    const offset = searchOffset(cursor);
    if (offset === undefined) return fail(reply, 400, 'VALIDATION', 'query.cursor: not a cursor');
    const text = parseSearch(q);
    if (!text) return reply.send([]);
    const params = [sqliteMatch(text), text.key, `${text.key} `, -1];
    const found =
      cursor === undefined
        ? firstPage(limit + 1).all(params)
        : laterPage(limit + 1).all([...params, offset]);
    const rows = takePage(found, { url: request.url, offset, limit }, reply);
    if (rows.length === 0) return reply.send(rows);
    const ratings = summaries.all(JSON.stringify(rows.map((row) => row.id)));
    return reply.send(withSummaries(rows, ratings));
  },
);

app.get<{ Params: { id: number }; Querystring: { limit: number } }>(
  '/api/movies/:id/similar',
  { schema: similarSchema },
  (request, reply) => {
    const { id } = request.params;
    const stored = neighbours.get(id);
    if (!stored) {
      if (movieExists.get(id)) return reply.send([]);
      return fail(reply, 404, 'NOT_FOUND', `movie ${id} not found`);
    }
    const ids = jsonArray<number>(stored.similar_ids).slice(0, request.query.limit);
    const rows = ids.length > 0 ? movies[ids.length - 1]!.all(ids) : [];
    return reply.send(similarOf(ids, jsonArray(stored.scores), rows));
  },
);

app.get<{ Params: { id: number }; Querystring: { limit: number } }>(
  '/api/users/:id/recommendations',
  { schema: recommendationsSchema, onRequest: authenticate },
  (request, reply) => {
    const { id } = request.params;
    if (!mayReadUser(request.claims, id)) {
      return fail(reply, 403, 'FORBIDDEN', 'only the user themselves or an admin may do this');
    }
    const rows = storedList(request.query.limit).all(id);
    if (rows.length > 0) return reply.send(rows.map(recommendationOf));
    // specstack computes a list on the fly here (cold start): the runner asks only for stored ones.
    if (!userExists.get(id)) return fail(reply, 404, 'NOT_FOUND', `user ${id} not found`);
    return fail(reply, 501, 'NOT_STORED', `user ${id} has no stored list`);
  },
);

await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    await app.close();
    sqlite.close();
  });
}
