// What a migration would destroy: tables and columns present in the previous snapshot and gone
// from the next. `make` refuses such a migration unless the user explicitly allows it.

import type { Snapshot } from './diff.ts';

interface LooseTable {
  name?: unknown;
  columns?: Record<string, unknown>;
}

function tablesByName(snapshot: Snapshot): Map<string, LooseTable> {
  const tables = Object.values(snapshot.tables as Record<string, LooseTable>);
  return new Map(tables.map((table) => [String(table.name), table]));
}

/** `drops table pets`, `drops column pets.tag`; empty when nothing is dropped. */
export function destructiveChanges(previous: Snapshot | null, next: Snapshot): string[] {
  if (previous === null) return [];
  const before = tablesByName(previous);
  const after = tablesByName(next);
  const changes: string[] = [];
  for (const [name, table] of before) {
    const kept = after.get(name);
    if (!kept) {
      changes.push(`drops table ${name}`);
      continue;
    }
    for (const column of Object.keys(table.columns ?? {})) {
      if (!(column in (kept.columns ?? {}))) changes.push(`drops column ${name}.${column}`);
    }
  }
  return changes;
}
