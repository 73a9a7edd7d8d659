// A ranked search on SQLite: the FTS5 hits joined to the table, best first by the exact-title boost
// (a function registered on the connection) then bm25 with the x-search weights. The FTS5 query
// is built from tokens, each one an FTS5 string, so no text of the caller is ever FTS5 syntax.
// Mirrors postgres/postgres-search-query.ts.

import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { SearchBackend } from '../search-dialect.ts';
import { SEARCH_PARAMS, searchNames } from '../search-dialect.ts';
import { type SearchTerm, searchKey } from '../search-text.ts';
import { sqliteSearchDdl } from './sqlite-search-ddl.ts';

/** bm25 column weights for x-search weights, in the ratio of PostgreSQL's default ts_rank weights. */
const BM25_WEIGHTS = { A: 1, B: 0.4, C: 0.2, D: 0.1 } as const;

/** An FTS5 string: `"` doubled inside. */
const phrase = (word: string) => `"${word.replace(/"/g, '""')}"`;

function termExpression(term: SearchTerm, typos: boolean): string {
  const exact = term.prefix ? `${phrase(term.word)} *` : phrase(term.word);
  if (!typos || term.typos.length === 0) return exact;
  return `(${[exact, ...term.typos.map(phrase)].join(' OR ')})`;
}

/** specstack_search_boost on the connection, as postgres/postgres-search-ddl.ts defines it in SQL. */
export function registerSearchFunctions(sqlite: BetterSqlite3.Database): void {
  sqlite.function(
    'specstack_search_boost',
    { deterministic: true },
    (title: unknown, key: unknown, keyPrefix: unknown, words: unknown) => {
      if (typeof title !== 'string' || typeof key !== 'string' || key === '') return 0;
      const titleKey = searchKey(title);
      if (titleKey === key) return 3;
      if (titleKey.startsWith(String(keyPrefix))) return 2;
      return titleKey.split(' ').length === words ? 1 : 0;
    },
  );
}

const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);

export const sqliteSearch: SearchBackend = {
  ddl: sqliteSearchDdl,
  matchExpression: (terms, typos) => terms.map((t) => termExpression(t, typos)).join(' AND '),
  clauses(tableName, search, table) {
    const fts = ident(searchNames(tableName).index);
    const weights = search.fields.map((f) => BM25_WEIGHTS[f.weight]).join(', ');
    const match = sql.placeholder(SEARCH_PARAMS.match);
    const source = sql`(SELECT rowid AS "search_rowid", bm25(${fts}, ${sql.raw(weights)}) AS "search_rank" FROM ${fts} WHERE ${fts} MATCH ${match}) AS "search_hits"`;
    return {
      join: { source, on: sql`"search_hits"."search_rowid" = ${table[search.key]}` },
      order: [
        sql`specstack_search_boost(${table[search.titleColumn]}, ${sql.placeholder(SEARCH_PARAMS.key)}, ${sql.placeholder(SEARCH_PARAMS.keyPrefix)}, ${sql.placeholder(SEARCH_PARAMS.words)}) desc`,
        // bm25 is smaller for better matches.
        sql`"search_hits"."search_rank" asc`,
      ],
    };
  },
  matches(tableName) {
    const fts = ident(searchNames(tableName).index);
    return {
      where: sql`${fts} MATCH ${sql.placeholder(SEARCH_PARAMS.match)}`,
      order: [],
    };
  },
};
