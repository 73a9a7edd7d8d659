// PostgreSQL search structures: a generated tsvector column (the `simple` configuration, so no
// stemming and no stop words, as on SQLite) over the searched columns folded by unaccent, and a
// GIN index on it. Mirrors sqlite/sqlite-search-ddl.ts.

import { type SearchDdl, searchNames } from '../search-dialect.ts';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The functions the setup creates, dropped by the teardown with the last searched table. */
export const POSTGRES_SEARCH_FUNCTIONS = [
  'specstack_search_key(text)',
  'specstack_search_text(text)',
  'specstack_search_fold(text)',
];

// unaccent() is only STABLE (it reads its dictionary by name); naming the dictionary makes the
// two-argument form safe to wrap as IMMUTABLE, which a generated column requires.
const SETUP = [
  `DO $do$ BEGIN
  CREATE EXTENSION IF NOT EXISTS unaccent;
EXCEPTION WHEN OTHERS THEN
  RAISE EXCEPTION 'full-text search needs the PostgreSQL extension "unaccent" (shipped with PostgreSQL as contrib): %', SQLERRM;
END $do$;`,
  `CREATE OR REPLACE FUNCTION specstack_search_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $fn$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, coalesce(value, ''))) $fn$;`,
  // Punctuation separates words, as in SQLite's unicode61 tokenizer (no emails, URLs or floats).
  `CREATE OR REPLACE FUNCTION specstack_search_text(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $fn$ SELECT regexp_replace(specstack_search_fold(value), '[[:punct:][:space:][:cntrl:]]+', ' ', 'g') $fn$;`,
  // search-text.ts searchKey, in SQL: no parenthesised parts, words only, no leading article.
  `CREATE OR REPLACE FUNCTION specstack_search_key(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $fn$ SELECT regexp_replace(
    btrim(regexp_replace(specstack_search_text(regexp_replace(coalesce(value, ''), '\\([^)]*\\)?', ' ', 'g')), '\\s+', ' ', 'g')),
    '^(the|a|an|le|la|les|l|el|los|las|il|der|die|das|un|une) (?=.)', '') $fn$;`,
];

export const postgresSearchDdl: SearchDdl = {
  setup: () => SETUP,
  teardown: () => POSTGRES_SEARCH_FUNCTIONS.map((fn) => `DROP FUNCTION IF EXISTS ${fn};`),
  create(tableName, search) {
    const names = searchNames(tableName);
    const vector = search.fields
      .map(
        (f) =>
          `setweight(to_tsvector('simple'::regconfig, specstack_search_text(${quote(f.column)}::text)), '${f.weight}')`,
      )
      .join(' || ');
    // Generated columns index the rows already there as they are added. The title's key is stored
    // so ranking compares it instead of normalizing every matching title per query.
    return [
      `ALTER TABLE ${quote(tableName)} ADD COLUMN ${quote(names.column)} tsvector GENERATED ALWAYS AS (${vector}) STORED;`,
      `ALTER TABLE ${quote(tableName)} ADD COLUMN ${quote(names.keyColumn)} text GENERATED ALWAYS AS (specstack_search_key(${quote(search.titleColumn)}::text)) STORED;`,
      `CREATE INDEX ${quote(names.index)} ON ${quote(tableName)} USING gin (${quote(names.column)});`,
    ];
  },
  drop(tableName) {
    const names = searchNames(tableName);
    return [
      `DROP INDEX IF EXISTS ${quote(names.index)};`,
      `ALTER TABLE ${quote(tableName)} DROP COLUMN IF EXISTS ${quote(names.keyColumn)};`,
      `ALTER TABLE ${quote(tableName)} DROP COLUMN IF EXISTS ${quote(names.column)};`,
    ];
  },
};
