// The search part of a migration. drizzle-kit knows nothing of FTS5 tables, triggers or generated
// tsvector columns, so migrate/diff.ts asks this module for the statements around its own: a
// table's search is dropped before the table changes and created again after, whenever its
// declaration changed or the change could break it (a rebuilt table, an altered column, a rename).

import type { Dialect } from '../db/database.ts';
import type { ModelDescription } from '../model/table-description.ts';
import { SEARCH_BACKENDS } from './search-backends.ts';
import type { SearchSnapshot } from './search-dialect.ts';

/** The search declared by the model, as a migration snapshot stores it. */
export function searchSnapshotOf(model: ModelDescription): SearchSnapshot {
  const snapshot: SearchSnapshot = {};
  for (const table of model.tables) {
    if (!table.search) continue;
    snapshot[table.tableName] = {
      key: table.primaryKey[0]!,
      fields: table.search.fields.map((f) => ({ column: f.column, weight: f.weight })),
      titleColumn: table.search.titleColumn,
    };
  }
  return snapshot;
}

// Statements that leave an existing table, its rows and its triggers as they are.
const HARMLESS = [
  /^\s*ALTER TABLE [^;]* ADD COLUMN /i,
  /^\s*CREATE (UNIQUE )?INDEX /i,
  /^\s*DROP INDEX /i,
];

// A foreign key from another table names this one without changing it.
// eslint-disable-next-line security/detect-unsafe-regex -- linear: no repetition can match the same text two ways (checked on 1 MB inputs)
const REFERENCE = /\bREFERENCES\s+(?:"[^"]*"|`[^`]*`)(?:\."[^"]*")?/gi;

function touches(statement: string, tableName: string): boolean {
  const own = statement.replace(REFERENCE, '');
  const mentioned = own.includes(`"${tableName}"`) || own.includes(`\`${tableName}\``);
  return mentioned && !HARMLESS.some((pattern) => pattern.test(statement));
}

export interface SearchChanges {
  /** Before the table statements: drop the search of tables that change. */
  before: string[];
  /** After them: create the search of tables that gained it or were rebuilt. */
  after: string[];
}

/**
 * The search statements of the migration from `previous` to `current`, given the table
 * statements (drizzle-kit's, renames included) that run between `before` and `after`.
 */
export function searchChanges(
  dialect: Dialect,
  previous: SearchSnapshot,
  current: SearchSnapshot,
  tableStatements: readonly string[],
): SearchChanges {
  const ddl = SEARCH_BACKENDS[dialect].ddl;
  const same = (name: string) =>
    JSON.stringify(previous[name]) === JSON.stringify(current[name]) &&
    !tableStatements.some((statement) => touches(statement, name));
  const dropped = Object.keys(previous).filter((name) => !same(name));
  const created = Object.keys(current).filter((name) => !same(name));
  const before = dropped.flatMap((name) => ddl.drop(name, previous[name]!));
  const after = created.length > 0 ? [...ddl.setup()] : [];
  after.push(...created.flatMap((name) => ddl.create(name, current[name]!)));
  if (Object.keys(current).length === 0 && Object.keys(previous).length > 0) {
    after.push(...ddl.teardown());
  }
  return { before, after };
}
