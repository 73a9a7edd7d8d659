// The model's schema as a drizzle-kit snapshot, and the SQL that moves a database from the previous
// snapshot to it. drizzle-kit does the diffing; this module only keeps it from ever prompting.

import {
  type DrizzleSnapshotJSON,
  type DrizzleSQLiteSnapshotJSON,
  generateDrizzleJson,
  generateMigration,
  generateSQLiteDrizzleJson,
  generateSQLiteMigration,
} from 'drizzle-kit/api';
import type { Dialect } from '../db/database.ts';
import { buildPostgresTable } from '../db/postgres/postgres-tables.ts';
import { buildSqliteTable } from '../db/sqlite/sqlite-tables.ts';
import { buildDrizzleTables } from '../db/tables.ts';
import { MIGRATION_FAILED } from '../errors.ts';
import type { ModelDescription } from '../model/table-description.ts';
import type { SearchSnapshot } from '../search/search-dialect.ts';
import { searchChanges, searchSnapshotOf } from '../search/search-migration.ts';
import {
  applyRenames,
  declaredRenames,
  type Renames,
  renameStatements,
  undoRenameStatements,
} from './renames.ts';

/**
 * drizzle-kit's JSON snapshot of a schema (`dialect` is `sqlite` or `postgresql`); plain JSON, safe
 * to store. specstack adds `specstackSearch` (the x-search declarations), which drizzle-kit never sees.
 */
export type Snapshot = (DrizzleSQLiteSnapshotJSON | DrizzleSnapshotJSON) & {
  specstackSearch?: SearchSnapshot;
};

const SEARCH_KEY = 'specstackSearch';

/** The snapshot as drizzle-kit knows it: its schemas are strict, so the search key must go. */
function forDrizzle(snapshot: Snapshot): Snapshot {
  const { [SEARCH_KEY]: _search, ...rest } = snapshot;
  return rest as Snapshot;
}

export interface DiffResult {
  /** SQL statements, in order, that turn `previous` into the model's schema. Empty when nothing changed. */
  statements: string[];
  /** SQL statements, in order, that turn the model's schema back into `previous`. */
  downStatements: string[];
  /** The model's snapshot; its `prevId` is the previous snapshot's `id`. */
  snapshot: Snapshot;
  /** `previous` (or an empty schema) after the declared renames: what the rest of the diff starts from. */
  baseline: Snapshot;
  /** The x-renamed-from renames this diff carries out. */
  renames: Renames;
}

const SNAPSHOT_DIALECT: Record<Dialect, string> = { sqlite: 'sqlite', postgres: 'postgresql' };

export async function snapshotModel(
  model: ModelDescription,
  dialect: Dialect,
  prevId?: string,
): Promise<Snapshot> {
  const snapshot: Snapshot =
    dialect === 'sqlite'
      ? await generateSQLiteDrizzleJson(buildDrizzleTables(model, buildSqliteTable), prevId)
      : generateDrizzleJson(buildDrizzleTables(model, buildPostgresTable), prevId);
  const search = searchSnapshotOf(model);
  return Object.keys(search).length > 0 ? { ...snapshot, [SEARCH_KEY]: search } : snapshot;
}

export async function diffModel(
  model: ModelDescription,
  dialect: Dialect,
  previous: Snapshot | null,
): Promise<DiffResult> {
  if (previous && previous.dialect !== SNAPSHOT_DIALECT[dialect]) {
    throw MIGRATION_FAILED(
      `the previous snapshot is for ${String(previous.dialect)}, not ${SNAPSHOT_DIALECT[dialect]}`,
    );
  }
  const renames = declaredRenames(model, previous);
  const baseline = previous
    ? applyRenames(forDrizzle(previous), renames)
    : await snapshotModel({ tables: [] }, dialect);
  const snapshot = await snapshotModel(model, dialect, previous ? String(previous.id) : undefined);
  const current = forDrizzle(snapshot);
  const tableStatements = [
    ...renameStatements(renames, dialect),
    ...(await diffSnapshots(baseline, current, dialect)),
  ];
  const downTableStatements = [
    ...(await diffSnapshots(current, baseline, dialect)),
    ...undoRenameStatements(renames, dialect),
  ];
  // Search structures are dropped before the tables change and created after.
  const previousSearch = previous?.[SEARCH_KEY] ?? {};
  const currentSearch = snapshot[SEARCH_KEY] ?? {};
  const up = searchChanges(dialect, previousSearch, currentSearch, tableStatements);
  const down = searchChanges(dialect, currentSearch, previousSearch, downTableStatements);
  const statements = [...up.before, ...tableStatements, ...up.after];
  const downStatements = [...down.before, ...downTableStatements, ...down.after];
  return { statements, downStatements, snapshot, baseline, renames };
}

async function runDiff(prev: Snapshot, cur: Snapshot, dialect: Dialect): Promise<string[]> {
  return dialect === 'sqlite'
    ? generateSQLiteMigration(prev as DrizzleSQLiteSnapshotJSON, cur as DrizzleSQLiteSnapshotJSON)
    : generateMigration(prev as DrizzleSnapshotJSON, cur as DrizzleSnapshotJSON);
}

/**
 * drizzle-kit asks on a terminal whether a table or column that vanished while another appeared
 * was renamed (and rejects without a TTY). specstack never guesses renames: when the diff is
 * ambiguous it is split into "drop what vanished" then "create what appeared", so neither step
 * has anything to ask. An undeclared rename therefore shows up as a drop plus an add, which
 * migrate/ treats as destructive; x-renamed-from declares it instead (see renames.ts).
 */
async function diffSnapshots(prev: Snapshot, cur: Snapshot, dialect: Dialect): Promise<string[]> {
  if (!isAmbiguous(prev, cur)) return runDiff(prev, cur, dialect);
  const middle = keepOnlyShared(prev, cur);
  return [...(await runDiff(prev, middle, dialect)), ...(await runDiff(middle, cur, dialect))];
}

interface LooseTable {
  columns: Record<string, unknown>;
  indexes: Record<string, unknown>;
  foreignKeys: Record<string, unknown>;
  compositePrimaryKeys: Record<string, unknown>;
  uniqueConstraints: Record<string, unknown>;
  checkConstraints?: Record<string, unknown>;
}

function tablesOf(snapshot: Snapshot): Record<string, LooseTable> {
  return snapshot.tables as unknown as Record<string, LooseTable>;
}

function isAmbiguous(prev: Snapshot, cur: Snapshot): boolean {
  const before = tablesOf(prev);
  const after = tablesOf(cur);
  const dropped = Object.keys(before).some((name) => !(name in after));
  const added = Object.keys(after).some((name) => !(name in before));
  if (dropped && added) return true;
  return Object.entries(after).some(([name, table]) => {
    const old = before[name];
    if (!old) return false;
    const hasNew = Object.keys(table.columns).some((column) => !(column in old.columns));
    const hasGone = Object.keys(old.columns).some((column) => !(column in table.columns));
    return hasNew && hasGone;
  });
}

/** `prev` minus every table and column that `cur` no longer has, and whatever referred to them. */
function keepOnlyShared(prev: Snapshot, cur: Snapshot): Snapshot {
  const middle = structuredClone(prev);
  const after = tablesOf(cur);
  const tables = tablesOf(middle);
  for (const name of Object.keys(tables)) {
    if (!(name in after)) delete tables[name];
  }
  const kept = (tableName: string, columns: readonly unknown[]): boolean => {
    const table = tables[tableKey(middle, tableName)] ?? tables[tableName];
    return !!table && columns.every((column) => columnName(column) in (table.columns ?? {}));
  };
  for (const [name, table] of Object.entries(tables)) {
    const next = after[name]!;
    for (const column of Object.keys(table.columns)) {
      if (!(column in next.columns)) delete table.columns[column];
    }
    filterEntries(table.indexes, (ix) => kept(name, ix.columns as unknown[]));
    filterEntries(table.uniqueConstraints, (uq) => kept(name, uq.columns as unknown[]));
    filterEntries(table.compositePrimaryKeys, (pk) => kept(name, pk.columns as unknown[]));
    filterEntries(
      table.foreignKeys,
      (fk) =>
        kept(name, fk.columnsFrom as unknown[]) &&
        kept(String(fk.tableTo), fk.columnsTo as unknown[]),
    );
  }
  return middle;
}

/** PostgreSQL snapshots key tables as `schema.name`; SQLite ones by name. */
function tableKey(snapshot: Snapshot, tableName: string): string {
  return snapshot.dialect === 'postgresql' ? `public.${tableName}` : tableName;
}

/** Index columns are names on SQLite and `{ expression }` objects on PostgreSQL. */
function columnName(column: unknown): string {
  if (typeof column === 'string') return column;
  return String((column as { expression?: unknown }).expression);
}

function filterEntries(
  entries: Record<string, unknown>,
  keep: (entry: Record<string, unknown>) => boolean,
): void {
  for (const [key, value] of Object.entries(entries)) {
    // Squashed (string) entries never occur in stored snapshots; keep anything unrecognised.
    if (value && typeof value === 'object' && !keep(value as Record<string, unknown>)) {
      delete entries[key];
    }
  }
}
