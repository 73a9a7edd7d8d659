// Loads the related objects an auto-CRUD answer shows, batched: one `IN` query per relationship
// (two for a many-to-many) whatever the number of rows, never one query per row.
// Planned at startup per route; a route whose schema shows no relationship gets no loader.

import type { Database, Row, TableRepository } from '../../db/database.ts';
import type { RelationshipDescription, TableDescription } from '../../model/table-description.ts';
import type { Schema } from '../operations.ts';

/** Attaches the related objects to rows read from the table, in place. */
export type LoadRelationships = (db: Database, rows: Row[]) => Promise<void>;

/** Every related row at once: enough for any batch, and relationships are read whole. */
const BATCH_LIMIT = 1_000_000;

type Lister = (db: Database, column: string, keys: unknown[]) => Promise<Row[]>;

// Full rows: the matching columns may be writeOnly, and the answer's serializer drops those anyway.
function lister(schemaName: string): Lister {
  return async (db, column, keys) => {
    if (keys.length === 0) return [];
    const repository = db.repository(schemaName) as TableRepository;
    const query = { filters: {}, sort: [], limit: BATCH_LIMIT };
    const conditions = [{ column, op: 'in' as const, value: keys }];
    return (await repository.list({ ...query, conditions })).rows;
  };
}

function distinct(rows: Row[], column: string): unknown[] {
  const keys = new Set<unknown>();
  for (const row of rows) if (row[column] != null) keys.add(row[column]);
  return [...keys];
}

function groupBy(rows: Row[], column: string): Map<unknown, Row[]> {
  const groups = new Map<unknown, Row[]>();
  for (const row of rows) {
    const key = row[column];
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/** Sets the property of each row from its group: a list, or the first (or null) for a to-one. */
function attach(rows: Row[], r: RelationshipDescription, own: string, groups: Map<unknown, Row[]>) {
  const single = r.kind === 'many-to-one' || r.kind === 'one-to-one';
  for (const row of rows) {
    const group = groups.get(row[own]);
    // A missing to-one is left out: the schema may not allow null there.
    if (!single) row[r.property] = group ?? [];
    else if (group) row[r.property] = group[0];
  }
}

function relationshipLoader(r: RelationshipDescription) {
  const targets = lister(r.targetSchema);
  if (r.foreignKeyOn === 'self') {
    return async (db: Database, rows: Row[]) => {
      const found = await targets(db, r.referencedColumn, distinct(rows, r.foreignKeyColumn));
      attach(rows, r, r.foreignKeyColumn, groupBy(found, r.referencedColumn));
    };
  }
  if (r.foreignKeyOn === 'target') {
    return async (db: Database, rows: Row[]) => {
      const found = await targets(db, r.foreignKeyColumn, distinct(rows, r.referencedColumn));
      attach(rows, r, r.referencedColumn, groupBy(found, r.foreignKeyColumn));
    };
  }
  const secondary = r.secondary!;
  const links = lister(secondary.table);
  return async (db: Database, rows: Row[]) => {
    const own = secondary.ownReferencedColumn;
    const linked = await links(db, secondary.ownColumn, distinct(rows, own));
    const found = await targets(db, r.referencedColumn, distinct(linked, r.foreignKeyColumn));
    const byKey = groupBy(found, r.referencedColumn);
    const groups = new Map<unknown, Row[]>();
    for (const link of linked) {
      const target = byKey.get(link[r.foreignKeyColumn])?.[0];
      if (!target) continue;
      const list = groups.get(link[secondary.ownColumn]) ?? [];
      list.push(target);
      groups.set(link[secondary.ownColumn], list);
    }
    attach(rows, r, own, groups);
  };
}

/** The loader of the relationships the route's schema shows, or undefined when it shows none. */
export function planRelationships(
  table: TableDescription,
  schema: Schema,
): LoadRelationships | undefined {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const shown = table.relationships.filter((r) => properties[r.property] !== undefined);
  if (shown.length === 0) return undefined;
  const loaders = shown.map((r) => relationshipLoader(r));
  return async (db, rows) => {
    if (rows.length === 0) return;
    await Promise.all(loaders.map((load) => load(db, rows)));
  };
}
