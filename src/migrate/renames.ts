// Renames declared in the spec with x-renamed-from. drizzle-kit would ask on a terminal whether a
// vanished name was renamed; instead the previous snapshot is renamed first, so the diff has
// nothing to ask, and the RENAME statements are written here.

import type { Dialect } from '../db/database.ts';
import { MODEL_INVALID } from '../errors.ts';
import type { ModelDescription } from '../model/table-description.ts';
import type { Snapshot } from './diff.ts';

export interface TableRename {
  from: string;
  to: string;
}

export interface ColumnRename {
  /** The table's name after any table rename. */
  table: string;
  from: string;
  to: string;
}

export interface Renames {
  tables: TableRename[];
  columns: ColumnRename[];
}

interface LooseColumn {
  name: string;
  [key: string]: unknown;
}

interface LooseTable {
  name: string;
  columns: Record<string, LooseColumn>;
  indexes: Record<string, { columns: unknown[] }>;
  foreignKeys: Record<string, LooseForeignKey>;
  compositePrimaryKeys: Record<string, { columns: string[] }>;
  uniqueConstraints: Record<string, { columns: string[] }>;
}

interface LooseForeignKey {
  tableFrom: string;
  tableTo: string;
  columnsFrom: string[];
  columnsTo: string[];
}

function tablesOf(snapshot: Snapshot): Record<string, LooseTable> {
  return snapshot.tables as unknown as Record<string, LooseTable>;
}

function findTable(snapshot: Snapshot, name: string): LooseTable | undefined {
  return Object.values(tablesOf(snapshot)).find((table) => table.name === name);
}

/**
 * The renames that take `previous` to the model. A declaration whose new name already exists is
 * an old rename still in the spec, and is skipped; one whose old name never existed names a new
 * table or column. Both names existing is a contradiction the user must resolve.
 */
export function declaredRenames(model: ModelDescription, previous: Snapshot | null): Renames {
  if (previous === null) return { tables: [], columns: [] };
  const tables: TableRename[] = [];
  const claimed = new Map<string, string>();
  for (const table of model.tables) {
    const from = table.renamedFrom;
    if (from === undefined || !findTable(previous, from)) continue;
    const pointer = `${table.pointer}/x-renamed-from`;
    if (findTable(previous, table.tableName)) {
      throw MODEL_INVALID(
        `x-renamed-from says table ${table.tableName} was ${from}, but the last migration has both tables: remove x-renamed-from, or drop one of them first`,
        { pointer },
      );
    }
    const other = claimed.get(from);
    if (other) {
      throw MODEL_INVALID(
        `table ${from} cannot be renamed to both ${other} and ${table.tableName}`,
        {
          pointer,
        },
      );
    }
    claimed.set(from, table.tableName);
    tables.push({ from, to: table.tableName });
  }
  const renamed = applyRenames(previous, { tables, columns: [] });
  const columns: ColumnRename[] = [];
  for (const table of model.tables) {
    const before = findTable(renamed, table.tableName);
    if (!before) continue;
    for (const column of table.columns) {
      const from = column.renamedFrom;
      if (from === undefined || !(from in before.columns)) continue;
      if (column.name in before.columns) {
        throw MODEL_INVALID(
          `x-renamed-from says column ${table.tableName}.${column.name} was ${from}, but the last migration has both columns: remove x-renamed-from, or drop one of them first`,
          { pointer: `${column.pointer}/x-renamed-from` },
        );
      }
      if (table.columns.some((other) => other.name === from)) {
        throw MODEL_INVALID(
          `x-renamed-from names ${from}, which the schema still declares as a property`,
          { pointer: `${column.pointer}/x-renamed-from` },
        );
      }
      columns.push({ table: table.tableName, from, to: column.name });
    }
  }
  return { tables, columns };
}

export function hasRenames(renames: Renames): boolean {
  return renames.tables.length > 0 || renames.columns.length > 0;
}

/** A copy of `snapshot` as the database is after the renames ran (names of indexes kept). */
export function applyRenames(snapshot: Snapshot, renames: Renames): Snapshot {
  if (!hasRenames(renames)) return snapshot;
  const result = structuredClone(snapshot);
  const tables = tablesOf(result);
  const key = (name: string) => (result.dialect === 'postgresql' ? `public.${name}` : name);
  for (const { from, to } of renames.tables) {
    const table = tables[key(from)];
    if (!table) continue;
    delete tables[key(from)];
    table.name = to;
    tables[key(to)] = table;
    for (const other of Object.values(tables)) {
      for (const fk of Object.values(other.foreignKeys)) {
        if (fk.tableFrom === from) fk.tableFrom = to;
        if (fk.tableTo === from) fk.tableTo = to;
      }
    }
  }
  for (const { table: tableName, from, to } of renames.columns) {
    const table = tables[key(tableName)];
    const column = table?.columns[from];
    if (!table || !column) continue;
    delete table.columns[from];
    table.columns[to] = { ...column, name: to };
    const rename = (name: string) => (name === from ? to : name);
    for (const index of Object.values(table.indexes)) {
      index.columns = index.columns.map((entry) =>
        typeof entry === 'string'
          ? rename(entry)
          : {
              ...(entry as object),
              expression: rename(String((entry as { expression: unknown }).expression)),
            },
      );
    }
    for (const constraint of [
      ...Object.values(table.uniqueConstraints),
      ...Object.values(table.compositePrimaryKeys),
    ]) {
      constraint.columns = constraint.columns.map(rename);
    }
    for (const fk of Object.values(table.foreignKeys)) fk.columnsFrom = fk.columnsFrom.map(rename);
    for (const other of Object.values(tables)) {
      for (const fk of Object.values(other.foreignKeys)) {
        if (fk.tableTo === tableName) fk.columnsTo = fk.columnsTo.map(rename);
      }
    }
  }
  return result;
}

function quote(dialect: Dialect, name: string): string {
  return dialect === 'sqlite' ? `\`${name}\`` : `"${name}"`;
}

/** The RENAME statements, tables before columns, in drizzle-kit's quoting for each dialect. */
export function renameStatements(renames: Renames, dialect: Dialect): string[] {
  const q = (name: string) => quote(dialect, name);
  const tables = renames.tables.map(
    (rename) => `ALTER TABLE ${q(rename.from)} RENAME TO ${q(rename.to)};`,
  );
  const columns = renames.columns.map(
    (rename) =>
      `ALTER TABLE ${q(rename.table)} RENAME COLUMN ${q(rename.from)} TO ${q(rename.to)};`,
  );
  return [...tables, ...columns];
}

/** The statements that undo `renames`: columns back first (under the new table names), then tables. */
export function undoRenameStatements(renames: Renames, dialect: Dialect): string[] {
  const q = (name: string) => quote(dialect, name);
  const columns = [...renames.columns]
    .reverse()
    .map(
      (rename) =>
        `ALTER TABLE ${q(rename.table)} RENAME COLUMN ${q(rename.to)} TO ${q(rename.from)};`,
    );
  const tables = [...renames.tables]
    .reverse()
    .map((rename) => `ALTER TABLE ${q(rename.to)} RENAME TO ${q(rename.from)};`);
  return [...columns, ...tables];
}

/** `renames table books to volumes`, `renames column authors.bio to biography`, for headers. */
export function describeRenames(renames: Renames): string[] {
  return [
    ...renames.tables.map((rename) => `renames table ${rename.from} to ${rename.to}`),
    ...renames.columns.map(
      (rename) => `renames column ${rename.table}.${rename.from} to ${rename.to}`,
    ),
  ];
}
