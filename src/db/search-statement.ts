// Full-text search for a repository: the query text parsed into terms (search/search-text.ts), the
// dialect's clauses built once, and typo tolerance: when a search finds nothing, the one-edit
// variants of its long words that the index holds are searched instead. The list statement
// around the clauses is prepared and cached like any other list shape.

import type { TableDescription } from '../model/table-description.ts';
import { SEARCH_BACKENDS } from '../search/search-backends.ts';
import { SEARCH_PARAMS, type SearchClauses } from '../search/search-dialect.ts';
import { searchSnapshotOf } from '../search/search-migration.ts';
import {
  hasTypoVariants,
  parseSearch,
  type SearchQuery,
  termVariants,
} from '../search/search-text.ts';
import type {
  DialectAdapter,
  MaybePromise,
  PreparedStatement,
  RawRows,
} from './dialect-adapter.ts';

type Run = (statement: PreparedStatement, params: Record<string, unknown>) => MaybePromise<RawRows>;

export interface SearchPlan {
  query: SearchQuery;
  /** Values of the search placeholders for an exact search. */
  params: Record<string, unknown>;
  /** Whether a search that finds nothing is worth retrying with typo variants. */
  tolerant: boolean;
}

export interface PreparedSearch {
  readonly clauses: SearchClauses;
  /** The plan for a query text, or undefined when it has no word to search for. */
  plan(text: string): SearchPlan | undefined;
  /** Placeholder values searching the typo variants the index holds; undefined when it holds none. */
  typoParams(plan: SearchPlan, run: Run): Promise<Record<string, unknown> | undefined>;
}

export function prepareSearch(
  table: TableDescription,
  // biome-ignore lint/suspicious/noExplicitAny: a Drizzle table built at run time.
  drizzleTable: any,
  adapter: DialectAdapter,
): PreparedSearch {
  const backend = SEARCH_BACKENDS[adapter.dialect];
  const snapshot = searchSnapshotOf({ tables: [table] })[table.tableName]!;
  const clauses = backend.clauses(table.tableName, snapshot, drizzleTable);
  let words: PreparedStatement | undefined;

  /** Of the terms' one-edit variants, those the index holds, by term word. */
  async function alternatives(query: SearchQuery, run: Run): Promise<Map<string, string[]>> {
    const variants = new Map(query.terms.map((term) => [term.word, termVariants(term)]));
    const all = [...new Set([...variants.values()].flat())];
    words ??= adapter.prepare(backend.wordsQuery(adapter.db, table.tableName, drizzleTable), true);
    const { rows } = await run(words, { [SEARCH_PARAMS.lookup]: JSON.stringify(all) });
    // The words query selects one column: the word.
    const found = new Set(rows.map((row) => String(row[0])));
    const out = new Map<string, string[]>();
    for (const [word, list] of variants) {
      const present = list.filter((variant) => found.has(variant));
      if (present.length > 0) out.set(word, present);
    }
    return out;
  }

  return {
    clauses,
    plan(text) {
      const query = parseSearch(text);
      if (!query) return undefined;
      return {
        query,
        tolerant: hasTypoVariants(query),
        params: {
          [SEARCH_PARAMS.match]: backend.matchExpression(query.terms),
          [SEARCH_PARAMS.key]: query.key,
          [SEARCH_PARAMS.keyPrefix]: `${query.key} `,
          [SEARCH_PARAMS.words]: -1,
        },
      };
    },
    async typoParams(plan, run) {
      const replacements = await alternatives(plan.query, run);
      if (replacements.size === 0) return undefined;
      return {
        ...plan.params,
        [SEARCH_PARAMS.match]: backend.matchExpression(plan.query.terms, replacements),
        // A title as long as the query that matches its corrected words is "exact but for a typo".
        [SEARCH_PARAMS.words]: plan.query.key.split(' ').length,
      };
    },
  };
}
