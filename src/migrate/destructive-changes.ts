// What a migration could destroy or fail on with existing rows: dropped tables and columns, narrowed
// types, NOT NULL imposed on a column, a NOT NULL column added with no default. `make` refuses
// such a migration unless the user explicitly allows it. Renames are applied to `previous` first,
// so a declared rename is none of these.

import type { Snapshot } from './diff.ts';

export type DestructiveKind = 'drop' | 'narrow' | 'not-null' | 'not-null-no-default';

export interface DestructiveChange {
  kind: DestructiveKind;
  /** `drops column pets.tag`: completes "this migration …". */
  description: string;
}

/** What to do about each kind, for the refusal message. */
export const DESTRUCTIVE_HINTS: Record<DestructiveKind, string> = {
  drop: 'their data would be lost; if it is a rename, declare it with x-renamed-from: <old name>',
  narrow: 'existing values may not fit the new type',
  'not-null': 'existing rows with NULL there would make it fail',
  'not-null-no-default':
    'rows already in the table would have no value; give the property a default or make it nullable',
};

interface LooseColumn {
  type?: unknown;
  notNull?: unknown;
  primaryKey?: unknown;
  autoincrement?: unknown;
  identity?: unknown;
  generated?: unknown;
  default?: unknown;
}

interface LooseTable {
  name?: unknown;
  columns?: Record<string, LooseColumn>;
}

function tablesByName(snapshot: Snapshot): Map<string, LooseTable> {
  const tables = Object.values(snapshot.tables as Record<string, LooseTable>);
  return new Map(tables.map((table) => [String(table.name), table]));
}

const VARCHAR = /^(?:varchar|character varying)\((\d+)\)$/;

/** Conversions that keep every value: a longer varchar, text, a wider number. */
const WIDENINGS: Record<string, readonly string[]> = {
  smallint: ['integer', 'bigint'],
  integer: ['bigint', 'real', 'double precision'],
  real: ['double precision'],
};

export function isWidening(from: string, to: string): boolean {
  if (from === to || to === 'text') return true;
  const before = VARCHAR.exec(from);
  const after = VARCHAR.exec(to);
  if (before && after) return Number(after[1]) >= Number(before[1]);
  return WIDENINGS[from]?.includes(to) ?? false;
}

/** A column the database fills in by itself, so adding it NOT NULL needs no default. */
function generatesValues(column: LooseColumn): boolean {
  return column.autoincrement === true || !!column.identity || !!column.generated;
}

function columnChanges(name: string, before: LooseTable, after: LooseTable): DestructiveChange[] {
  const changes: DestructiveChange[] = [];
  const old = before.columns ?? {};
  const next = after.columns ?? {};
  for (const column of Object.keys(old)) {
    if (!(column in next)) {
      changes.push({ kind: 'drop', description: `drops column ${name}.${column}` });
    }
  }
  for (const [column, now] of Object.entries(next)) {
    const was = old[column];
    if (!was) {
      if (now.notNull === true && now.default === undefined && !generatesValues(now)) {
        changes.push({
          kind: 'not-null-no-default',
          description: `adds NOT NULL column ${name}.${column} with no default to an existing table`,
        });
      }
      continue;
    }
    const [from, to] = [String(was.type), String(now.type)];
    if (!isWidening(from, to)) {
      changes.push({
        kind: 'narrow',
        description: `changes column ${name}.${column} from ${from} to ${to}`,
      });
    }
    if (now.notNull === true && was.notNull !== true) {
      changes.push({ kind: 'not-null', description: `makes column ${name}.${column} NOT NULL` });
    }
  }
  return changes;
}

/** Every destructive change from `previous` (renames already applied) to `next`; empty when none. */
export function destructiveChanges(previous: Snapshot | null, next: Snapshot): DestructiveChange[] {
  if (previous === null) return [];
  const before = tablesByName(previous);
  const after = tablesByName(next);
  const changes: DestructiveChange[] = [];
  for (const [name, table] of before) {
    const kept = after.get(name);
    if (kept) changes.push(...columnChanges(name, table, kept));
    else changes.push({ kind: 'drop', description: `drops table ${name}` });
  }
  return changes;
}
