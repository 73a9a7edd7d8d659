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

function termExpression(term: SearchTerm, alternatives: readonly string[] = []): string {
  const exact = term.prefix ? `${phrase(term.word)} *` : phrase(term.word);
  if (alternatives.length === 0) return exact;
  return `(${[exact, ...alternatives.map(phrase)].join(' OR ')})`;
}

/** Title keys seen lately: ranking asks for the same titles again and again. */
const KEY_CACHE_SIZE = 50_000;
const keys = new Map<string, string>();

function cachedKey(title: string): string {
  let key = keys.get(title);
  if (key === undefined) {
    // Dropped whole when full: cheaper than an LRU, and the working set refills it quickly.
    if (keys.size >= KEY_CACHE_SIZE) keys.clear();
    key = searchKey(title);
    keys.set(title, key);
  }
  return key;
}

/**
 * specstack_search_boost(title, key, keyPrefix, words) on the connection: 3 when the title's key
 * is the query's, 2 when it starts with it, 1 when it has as many words (typo searches), else 0.
 * PostgreSQL computes the same from a stored key column (postgres-search-query.ts).
 */
export function registerSearchFunctions(sqlite: BetterSqlite3.Database): void {
  sqlite.function(
    'specstack_search_boost',
    { deterministic: true },
    (title: unknown, key: unknown, keyPrefix: unknown, words: unknown) => {
      if (typeof title !== 'string' || typeof key !== 'string' || key === '') return 0;
      const titleKey = cachedKey(title);
      if (titleKey === key) return 3;
      if (titleKey.startsWith(String(keyPrefix))) return 2;
      return titleKey.split(' ').length === words ? 1 : 0;
    },
  );
}

const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);

export const sqliteSearch: SearchBackend = {
  ddl: sqliteSearchDdl,
  matchExpression: (terms, alternatives) =>
    terms.map((t) => termExpression(t, alternatives?.get(t.word))).join(' AND '),
  wordsQuery(db, tableName) {
    const fts = ident(searchNames(tableName).index);
    // The words are letters and digits only (search-text.ts), so quoting them makes an FTS5 string.
    return db
      .select({ word: sql`"value"` })
      .from(sql`json_each(${sql.placeholder(SEARCH_PARAMS.lookup)})`)
      .where(sql`exists (select 1 from ${fts} where ${fts} match '"' || "value" || '"')`);
  },
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
};
