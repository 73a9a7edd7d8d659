// Loads the related objects an auto-CRUD answer shows, batched: one `IN` query per relationship
// (two for a many-to-many) and one grouped query per x-summary-of, whatever the number of rows,
// never one query per row.
// Planned at startup per route; a route whose schema shows no relationship gets no loader.

import type { Database, Row, SortTerm, TableRepository } from '../../db/database.ts';
import { aggregateRows } from '../../db/table-repository.ts';
import type {
  RelationshipDescription,
  SummaryDescription,
  TableDescription,
} from '../../model/table-description.ts';
import type { Schema } from '../operations.ts';

/**
 * Attaches the related objects to rows read from the table, in place. `expanded`: of the
 * relationships loaded only on request (`expand`), those the request asked for.
 */
export type LoadRelationships = (
  db: Database,
  rows: Row[],
  expanded?: ReadonlySet<string>,
) => Promise<void>;

/** Every related row at once: enough for any batch, and relationships are read whole. */
const BATCH_LIMIT = 1_000_000;

type Lister = (db: Database, column: string, keys: unknown[]) => Promise<Row[]>;

/**
 * Full rows: the matching columns may be writeOnly, and the answer's serializer drops those anyway.
 * In `sort` order (x-kwargs order_by), then the table's key, so each row's group keeps that order.
 */
function lister(schemaName: string, sort: SortTerm[] = []): Lister {
  return async (db, column, keys) => {
    if (keys.length === 0) return [];
    const repository = db.repository(schemaName) as TableRepository;
    const query = { filters: {}, sort, limit: BATCH_LIMIT };
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

/**
 * Sets the property of each row from its group: a list, or the first for a to-one. A row that
 * already carries the property (a handler set it) or lacks its key keeps what it has.
 */
function attach(rows: Row[], r: RelationshipDescription, own: string, groups: Map<unknown, Row[]>) {
  const single = r.kind === 'many-to-one' || r.kind === 'one-to-one';
  for (const row of rows) {
    if (row[r.property] !== undefined || row[own] == null) continue;
    const group = groups.get(row[own]);
    // A missing to-one is left out: the schema may not allow null there.
    if (!single) row[r.property] = group ?? [];
    else if (group) row[r.property] = group[0];
  }
}

function relationshipLoader(r: RelationshipDescription) {
  const targets = lister(r.targetSchema, r.orderBy);
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
    const owners = groupBy(linked, r.foreignKeyColumn);
    const groups = new Map<unknown, Row[]>();
    // In the targets' order, so each row's list keeps it.
    for (const target of found) {
      for (const link of owners.get(target[r.referencedColumn]) ?? []) {
        const list = groups.get(link[secondary.ownColumn]) ?? [];
        list.push(target);
        groups.set(link[secondary.ownColumn], list);
      }
    }
    attach(rows, r, own, groups);
  };
}

/**
 * x-summary-of: one grouped query over the related rows of every row at once, prepared once. A
 * row with none gets a count of 0 and null for the other aggregates.
 */
function summaryLoader(summary: SummaryDescription) {
  const r = summary.relationship;
  return async (db: Database, rows: Row[]) => {
    const keys = distinct(rows, r.referencedColumn);
    if (keys.length === 0) return;
    const repository = db.repository(r.targetSchema) as TableRepository;
    const found = await aggregateRows(repository, r.foreignKeyColumn, summary.fields, keys);
    // By the key's text: PostgreSQL answers a bigint key as text, SQLite as a number.
    const byKey = new Map(found.rows.map((group) => [String(group[0]), group]));
    for (const row of rows) {
      if (row[summary.property] !== undefined || row[r.referencedColumn] == null) continue;
      const group = byKey.get(String(row[r.referencedColumn]));
      const value: Row = {};
      for (const [i, field] of summary.fields.entries()) {
        const raw = group?.[i + 1];
        // PostgreSQL answers numeric aggregates as text.
        value[field.name] =
          field.fn === 'count' ? Number(raw ?? 0) : raw == null ? null : Number(raw);
      }
      row[summary.property] = value;
    }
  };
}

/**
 * The loader of the relationships the route's schema shows, or undefined when it shows none.
 * Those in `onRequest` (the operation's `expand` enum) load only when the request names them.
 */
export function planRelationships(
  table: TableDescription,
  schema: Schema,
  onRequest: ReadonlySet<string> = new Set(),
): LoadRelationships | undefined {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const shown = table.relationships.filter((r) => properties[r.property] !== undefined);
  const summaries = (table.summaries ?? []).filter((s) => properties[s.property] !== undefined);
  if (shown.length === 0 && summaries.length === 0) return undefined;
  const always = [
    ...shown.filter((r) => !onRequest.has(r.property)).map((r) => relationshipLoader(r)),
    ...summaries.map(summaryLoader),
  ];
  const optional = shown
    .filter((r) => onRequest.has(r.property))
    .map((r) => ({ property: r.property, load: relationshipLoader(r) }));
  return async (db, rows, expanded) => {
    if (rows.length === 0) return;
    const asked = optional.filter((o) => expanded?.has(o.property)).map((o) => o.load);
    await Promise.all([...always, ...asked].map((load) => load(db, rows)));
  };
}
