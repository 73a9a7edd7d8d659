// A ranked search on PostgreSQL: the generated tsvector column matched by a tsquery, best first by
// the exact-title boost then ts_rank with the x-search weights. The tsquery text is built from
// tokens, each one a quoted lexeme, and bound as a parameter. Mirrors sqlite/sqlite-search-query.ts.

import { sql } from 'drizzle-orm';
import type { SearchBackend } from '../search-dialect.ts';
import { SEARCH_PARAMS, searchNames } from '../search-dialect.ts';
import type { SearchTerm } from '../search-text.ts';
import { postgresSearchDdl } from './postgres-search-ddl.ts';

/** A tsquery lexeme: tokens are letters, digits and marks only; quoting is belt and braces. */
const lexeme = (word: string) => `'${word.replace(/['\\]/g, '')}'`;

function termExpression(term: SearchTerm, typos: boolean): string {
  const exact = term.prefix ? `${lexeme(term.word)}:*` : lexeme(term.word);
  if (!typos || term.typos.length === 0) return exact;
  return `(${[exact, ...term.typos.map(lexeme)].join(' | ')})`;
}

const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);

function tsquery() {
  return sql`to_tsquery('simple'::regconfig, specstack_search_fold(${sql.placeholder(SEARCH_PARAMS.match)}))`;
}

export const postgresSearch: SearchBackend = {
  ddl: postgresSearchDdl,
  matchExpression: (terms, typos) => terms.map((t) => termExpression(t, typos)).join(' & '),
  clauses(tableName, search, table) {
    const vector = sql`${sql.raw(`"${tableName.replace(/"/g, '""')}"`)}.${ident(searchNames(tableName).column)}`;
    return {
      where: sql`${vector} @@ ${tsquery()}`,
      order: [
        sql`specstack_search_boost(${table[search.titleColumn]}::text, ${sql.placeholder(SEARCH_PARAMS.key)}, ${sql.placeholder(SEARCH_PARAMS.keyPrefix)}, ${sql.placeholder(SEARCH_PARAMS.words)}) desc`,
        // Weights D, C, B, A; normalization 1 divides by 1 + log(length), as bm25 favours short rows.
        sql`ts_rank('{0.1, 0.2, 0.4, 1.0}', ${vector}, ${tsquery()}, 1) desc`,
      ],
    };
  },
  matches(tableName) {
    const vector = sql`${sql.raw(`"${tableName.replace(/"/g, '""')}"`)}.${ident(searchNames(tableName).column)}`;
    return { where: sql`${vector} @@ ${tsquery()}`, order: [] };
  },
};
