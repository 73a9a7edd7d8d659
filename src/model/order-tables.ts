// Orders tables so that a referenced table comes before every table that references it.

import type { TableDescription } from './table-description.ts';

/** Stable: tables keep document order unless a foreign key demands otherwise. Cycles keep document order. */
export function orderTables(tables: TableDescription[]): TableDescription[] {
  const byName = new Map(tables.map((table) => [table.tableName, table]));
  const ordered: TableDescription[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: TableDescription): void => {
    if (state.get(table.tableName)) return; // done, or a cycle: leave the rest in document order
    state.set(table.tableName, 'visiting');
    for (const column of table.columns) {
      const target = column.foreignKey && byName.get(column.foreignKey.table);
      if (target && target !== table) visit(target);
    }
    state.set(table.tableName, 'done');
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}
