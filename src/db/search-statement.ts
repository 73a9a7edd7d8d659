// Full-text search for a repository: the query text parsed into terms (search/search-text.ts), the
// dialect's clauses built once, and the check that decides whether typo tolerance is needed.
// The list statement around the clauses is prepared and cached like any other list shape.

import { sql } from 'drizzle-orm';
import type { TableDescription } from '../model/table-description.ts';
import { SEARCH_BACKENDS } from '../search/search-backends.ts';
import { SEARCH_PARAMS, type SearchClauses } from '../search/search-dialect.ts';
import { searchSnapshotOf } from '../search/search-migration.ts';
import { hasTypoVariants, parseSearch, termVariants } from '../search/search-text.ts';
import type { DialectAdapter, PreparedStatement } from './dialect-adapter.ts';

export interface SearchPlan {
  /** Values of the search placeholders. */
  params: Record<string, unknown>;
  /** Whether one-edit variants of the words are searched (nothing matched them exactly). */
  typos: boolean;
}

export interface PreparedSearch {
  readonly clauses: SearchClauses;
  /** The plan for a query text, or undefined when it has no word to search for. */
  plan(
    text: string,
    run: (statement: PreparedStatement, params: Record<string, unknown>) => Promise<unknown[]>,
  ): Promise<SearchPlan | undefined>;
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
  let exists: PreparedStatement | undefined;
  let words: PreparedStatement | undefined;

  /** Whether any row matches every word exactly (filters aside): if not, typos are tolerated. */
  function existsStatement(): PreparedStatement {
    if (exists) return exists;
    const { where } = backend.matches(table.tableName, drizzleTable);
    const from =
      adapter.dialect === 'sqlite' ? sql.raw(`"${table.tableName}_search"`) : drizzleTable;
    exists = adapter.prepare(
      adapter.db.select({ found: sql`1` }).from(from).where(where).limit(1),
      true,
    );
    return exists;
  }

  /** Of the terms' one-edit variants, those the index holds, by term word. */
  async function alternatives(
    terms: NonNullable<ReturnType<typeof parseSearch>>['terms'],
    run: Parameters<PreparedSearch['plan']>[1],
  ): Promise<Map<string, string[]>> {
    const variants = new Map(terms.map((term) => [term.word, termVariants(term)]));
    const all = [...new Set([...variants.values()].flat())];
    words ??= adapter.prepare(backend.wordsQuery(adapter.db, table.tableName, drizzleTable), true);
    const rows = (await run(words, { [SEARCH_PARAMS.lookup]: JSON.stringify(all) })) as {
      word: string;
    }[];
    const found = new Set(rows.map((row) => row.word));
    const out = new Map<string, string[]>();
    for (const [word, list] of variants) {
      const present = list.filter((variant) => found.has(variant));
      if (present.length > 0) out.set(word, present);
    }
    return out;
  }

  return {
    clauses,
    async plan(text, run) {
      const query = parseSearch(text);
      if (!query) return undefined;
      const strict = backend.matchExpression(query.terms);
      let typos = false;
      let match = strict;
      if (hasTypoVariants(query)) {
        const found = await run(existsStatement(), { [SEARCH_PARAMS.match]: strict });
        if (found.length === 0) {
          const replacements = await alternatives(query.terms, run);
          typos = replacements.size > 0;
          if (typos) match = backend.matchExpression(query.terms, replacements);
        }
      }
      return {
        typos,
        params: {
          [SEARCH_PARAMS.match]: match,
          [SEARCH_PARAMS.key]: query.key,
          [SEARCH_PARAMS.keyPrefix]: `${query.key} `,
          [SEARCH_PARAMS.words]: typos ? query.key.split(' ').length : -1,
        },
      };
    },
  };
}
