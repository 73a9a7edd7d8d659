// The one interface both search backends implement (search/sqlite/, search/postgres/): the DDL
// that creates and drops a table's search structures, and the pieces of a ranked search query.

import type { SQL } from 'drizzle-orm';
import type { SearchField } from '../model/table-description.ts';
import type { SearchTerm } from './search-text.ts';

/** What a migration knows of one table's search: kept in the snapshot, so the next diff sees it. */
export interface SearchTableSnapshot {
  /** The single integer primary key the index refers to rows by. */
  key: string;
  fields: SearchField[];
  /** The field an exact match boosts. */
  titleColumn: string;
}

/** Table name -> its search; tables without x-search are absent. */
export type SearchSnapshot = Record<string, SearchTableSnapshot>;

/** Per-table search names, the same in every migration and every query. */
export function searchNames(tableName: string) {
  return {
    /** SQLite: the FTS5 table. PostgreSQL: the GIN index. */
    index: `${tableName}_search`,
    /** SQLite: trigger name prefix. */
    trigger: `${tableName}_search`,
    /** PostgreSQL: the generated tsvector column. */
    column: 'specstack_search',
    /** PostgreSQL: the generated column holding the title's search key (search-text.ts searchKey). */
    keyColumn: 'specstack_search_key',
  };
}

export interface SearchDdl {
  /** Creates what every searched table shares (PostgreSQL: extension and functions); idempotent. */
  setup(): string[];
  /** Drops what setup created, once no table is searched any more. */
  teardown(): string[];
  /** Creates a table's search structures and indexes the rows it already holds. */
  create(tableName: string, search: SearchTableSnapshot): string[];
  drop(tableName: string, search: SearchTableSnapshot): string[];
}

/** The parts of one ranked search statement; every value in them is a placeholder. */
export interface SearchClauses {
  /** A source to join (SQLite's FTS5 hits), with its join condition. */
  join?: { source: SQL; on: SQL };
  /** The match condition, when it is not the join itself. */
  where?: SQL;
  /** Best first: the exact-title boost, then relevance. */
  order: SQL[];
}

/** Placeholder names the search clauses read. */
export const SEARCH_PARAMS = {
  /** The match expression (an FTS5 query or tsquery text), built from tokens by the backend. */
  match: 'search_match',
  /** searchKey of the query text. */
  key: 'search_key',
  /** The key followed by a space: a title that starts with the query. */
  keyPrefix: 'search_key_prefix',
  /** The words to look up in the index (wordsQuery). */
  lookup: 'search_words',
  /** With typos: the query's word count (a title as long as the query, matched, is "exact but for a typo"); else -1. */
  words: 'search_word_count',
} as const;

export interface SearchBackend {
  readonly ddl: SearchDdl;
  /** The match expression for the terms; a term with `alternatives` also matches any of them. */
  matchExpression(
    terms: readonly SearchTerm[],
    alternatives?: ReadonlyMap<string, string[]>,
  ): string;
  /**
   * A query (a Drizzle builder) answering which of the words in the JSON array placeholder
   * `search_words` occur in the index, as rows `{ word }`: typo variants are checked against the
   * index before they are searched, so a search carries the few that exist, not hundreds.
   */
  wordsQuery(
    // biome-ignore lint/suspicious/noExplicitAny: the Drizzle database, untyped as in db/.
    db: any,
    tableName: string,
    // biome-ignore lint/suspicious/noExplicitAny: a runtime-built Drizzle table.
    table: any,
  ): unknown;
  /** The clauses of a ranked search of `table` (a Drizzle table). */
  clauses(
    tableName: string,
    search: SearchTableSnapshot,
    // biome-ignore lint/suspicious/noExplicitAny: a runtime-built Drizzle table.
    table: any,
  ): SearchClauses;
}
