// A ranked search on PostgreSQL: the generated tsvector column matched by a tsquery, best first by
// the exact-title boost then ts_rank with the x-search weights. The tsquery text is built from
// tokens, each one a quoted lexeme, and bound as a parameter. Mirrors sqlite/sqlite-search-query.ts.

import { type SQL, sql } from 'drizzle-orm';
import type { SearchBackend } from '../search-dialect.ts';
import { SEARCH_PARAMS, searchNames } from '../search-dialect.ts';
import type { SearchTerm } from '../search-text.ts';
import { postgresSearchDdl } from './postgres-search-ddl.ts';

/** A tsquery lexeme: tokens are letters, digits and marks only; quoting is belt and braces. */
const lexeme = (word: string) => `'${word.replace(/['\\]/g, '')}'`;

function termExpression(term: SearchTerm, alternatives: readonly string[] = []): string {
  const exact = term.prefix ? `${lexeme(term.word)}:*` : lexeme(term.word);
  if (alternatives.length === 0) return exact;
  return `(${[exact, ...alternatives.map(lexeme)].join(' | ')})`;
}

const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);

const text = (name: string) => sql`cast(${sql.placeholder(name)} as text)`;

/** sqlite/sqlite-search-query.ts's boost on the stored title key: 3 exact, 2 prefix, 1 as many words (typos). */
function boost(titleKey: SQL): SQL {
  const key = text(SEARCH_PARAMS.key);
  const prefix = text(SEARCH_PARAMS.keyPrefix);
  const words = sql`cast(${sql.placeholder(SEARCH_PARAMS.words)} as integer)`;
  return sql`case when ${key} = '' then 0 when ${titleKey} = ${key} then 3 when left(${titleKey}, length(${prefix})) = ${prefix} then 2 when cardinality(string_to_array(${titleKey}, ' ')) = ${words} then 1 else 0 end desc`;
}

function tsquery() {
  return sql`to_tsquery('simple'::regconfig, specstack_search_fold(${sql.placeholder(SEARCH_PARAMS.match)}))`;
}

export const postgresSearch: SearchBackend = {
  ddl: postgresSearchDdl,
  matchExpression: (terms, alternatives) =>
    terms.map((t) => termExpression(t, alternatives?.get(t.word))).join(' & '),
  wordsQuery(db, tableName) {
    const vector = sql`${ident(tableName)}.${ident(searchNames(tableName).column)}`;
    const words = sql`jsonb_array_elements_text(cast(${sql.placeholder(SEARCH_PARAMS.lookup)} as jsonb))`;
    // One GIN lookup for all the words at once (a probe per word would scan the table for every
    // absent word), then the lexemes of the rows it finds, kept if they are among the words.
    const any = sql`to_tsquery('simple'::regconfig, (select string_agg(quote_literal("w"), ' | ') from ${words} as "w"))`;
    return db
      .selectDistinct({ word: sql`"word"` })
      .from(
        sql`(select unnest(tsvector_to_array(${vector})) as "word" from ${ident(tableName)} where ${vector} @@ ${any}) as "lexemes"`,
      )
      .where(sql`"word" in (select ${words})`);
  },
  clauses(tableName) {
    const names = searchNames(tableName);
    const vector = sql`${ident(tableName)}.${ident(names.column)}`;
    const query = tsquery();
    return {
      where: sql`${vector} @@ ${query}`,
      order: [
        boost(sql`${ident(tableName)}.${ident(names.keyColumn)}`),
        // Weights D, C, B, A; normalization 1 divides by 1 + log(length), as bm25 favours short rows.
        sql`ts_rank('{0.1, 0.2, 0.4, 1.0}', ${vector}, ${query}, 1) desc`,
      ],
    };
  },
};
