// What the SQLite and PostgreSQL table builders share beyond column types: defaults, foreign keys,
// and the composite keys, uniques and indexes declared beside the columns, named the same way.

import type { ColumnDescription, TableDescription } from '../model/table-description.ts';
import { indexName, isScalarDefault, uniqueName } from './table-names.ts';

// biome-ignore lint/suspicious/noExplicitAny: Drizzle's builders are assembled at run time; their static types are not known.
type AnyBuilder = any;

/** The constraint builders of one Drizzle dialect (drizzle-orm/sqlite-core, drizzle-orm/pg-core). */
export interface ConstraintBuilders {
  primaryKey(config: { columns: [AnyBuilder, ...AnyBuilder[]] }): AnyBuilder;
  unique(name: string): { on(...columns: [AnyBuilder, ...AnyBuilder[]]): AnyBuilder };
  index(name: string): { on(...columns: [AnyBuilder, ...AnyBuilder[]]): AnyBuilder };
}

/** Adds the column's default and its foreign key to a dialect's column builder. */
export function withDefaultAndReference(
  builder: AnyBuilder,
  column: ColumnDescription,
  resolve: (tableName: string) => unknown,
): AnyBuilder {
  let result = builder;
  if (column.default !== undefined && column.default !== null) {
    // Scalars become SQL defaults (visible in migrations); JSON and binary are filled in by Drizzle on insert.
    result = isScalarDefault(column)
      ? result.default(column.default)
      : result.$defaultFn(() => structuredClone(column.default));
  }
  const fk = column.foreignKey;
  if (fk) {
    result = result.references(
      () => (resolve(fk.table) as Record<string, AnyBuilder>)[fk.column],
      fk.onDelete ? { onDelete: fk.onDelete } : {},
    );
  }
  return result;
}

/** The third argument of sqliteTable/pgTable: composite primary key, uniques and indexes. */
export function tableExtras(
  table: TableDescription,
  t: Record<string, AnyBuilder>,
  builders: ConstraintBuilders,
): AnyBuilder[] {
  const columns = (names: string[]) =>
    names.map((name) => t[name]) as [AnyBuilder, ...AnyBuilder[]];
  const extras: AnyBuilder[] = [];
  if (table.primaryKey.length > 1) {
    extras.push(builders.primaryKey({ columns: columns(table.primaryKey) }));
  }
  for (const column of table.columns) {
    if (column.unique && !column.primaryKey) {
      extras.push(builders.unique(uniqueName(table, column.name)).on(t[column.name]));
    }
    if (column.index) extras.push(builders.index(indexName(table, column.name)).on(t[column.name]));
  }
  for (const ix of table.indexes) {
    const builder = ix.unique ? builders.unique(ix.name) : builders.index(ix.name);
    extras.push(builder.on(...columns(ix.columns)));
  }
  return extras;
}
