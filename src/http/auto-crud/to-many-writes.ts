// The to-many relationships a create or update body lists by key (`{"tags": [{"id": 1}, {"id": 3}]}`),
// written in the transaction of the row's own write: a many-to-many's association rows become the
// list, a one-to-many's listed children get the row's key in their foreign key and the others lose
// it (SQLAlchemy's default when a child leaves a collection; refused when that key is NOT NULL).
// Keys that name no row are refused before anything is written, and a key listed twice counts once.
// A one-to-one whose foreign key is on the other table is a one-to-many of at most one child:
// `{"lamp": {"id": 4}}` gives lamp 4 this row's key, and `{"lamp": null}` detaches the one it had.

import type { Database, Row, Transaction } from '../../db/database.ts';
import { quoteIdentifier as quoted, transactionQuery } from '../../db/transaction-query.ts';
import { toDriver } from '../../db/value-codec.ts';
import { DETACH_REFUSED, FOREIGN_KEY_VIOLATION, MODEL_INVALID, VALIDATION } from '../../errors.ts';
import type {
  ColumnDescription,
  RelationshipDescription,
  TableDescription,
} from '../../model/table-description.ts';
import type { CrudPlan } from './infer-crud.ts';

/** Keys per statement: far below either dialect's limit on bound parameters. */
const CHUNK = 500;

/** One relationship's list as the body gives it: driver values, each with where it was sent. */
interface ListedKeys {
  link: LinkPlan;
  keys: { value: unknown; sent: unknown; field: string }[];
}

/** The lists of one body, ready to write once the row itself is written. */
export type PendingLists = ListedKeys[];

interface LinkPlan {
  relationship: RelationshipDescription;
  target: TableDescription;
  /** The target's column a listed object names (its key, or the referenced column). */
  targetKey: ColumnDescription;
  /** This table's column the links hold (its key, or the referenced column). */
  ownKey: ColumnDescription;
  /** one-to-many and a one-to-one held by the target: the target's foreign-key column. */
  foreignKey?: ColumnDescription;
}

export interface ToManyWrites {
  /**
   * The lists the body carries, checked and deduplicated; undefined when it carries none. `whole`
   * (PUT): a list the body leaves out is empty, as a column it leaves out takes its default.
   */
  take(body: unknown, whole: boolean): PendingLists | undefined;
  /** Writes them for `row`, just written in `tx`; `created` when the row had no links before. */
  write(tx: Transaction, row: Row, pending: PendingLists, created: boolean): Promise<void>;
}

function columnOf(table: TableDescription, name: string): ColumnDescription {
  return table.columns.find((c) => c.name === name)!;
}

function linkPlan(table: TableDescription, r: RelationshipDescription, db: Database): LinkPlan {
  const target = db.model.tables.find((t) => t.tableName === r.targetTable)!;
  if (r.kind === 'many-to-many') {
    const own = columnOf(table, r.secondary!.ownReferencedColumn);
    return {
      relationship: r,
      target,
      targetKey: columnOf(target, r.referencedColumn),
      ownKey: own,
    };
  }
  if (target.primaryKey.length !== 1) {
    throw MODEL_INVALID(
      `${r.property}: ${target.schemaName} has a composite primary key, so its rows cannot be listed by key; mark the relationship readOnly`,
      { pointer: r.pointer },
    );
  }
  return {
    relationship: r,
    target,
    targetKey: columnOf(target, target.primaryKey[0]!),
    ownKey: columnOf(table, r.referencedColumn),
    foreignKey: columnOf(target, r.foreignKeyColumn),
  };
}

/** Writable to-many relationships the route's schema shows, or undefined when there are none. */
export function toManyWrites(plan: CrudPlan, db: Database): ToManyWrites | undefined {
  if (plan.action !== 'create' && plan.action !== 'replace' && plan.action !== 'update') {
    return undefined;
  }
  const properties = (plan.schema.properties ?? {}) as Record<string, unknown>;
  const writable = plan.table.relationships.filter(
    (r) =>
      (r.kind === 'one-to-many' ||
        r.kind === 'many-to-many' ||
        (r.kind === 'one-to-one' && r.foreignKeyOn === 'target')) &&
      !r.readOnly &&
      properties[r.property] !== undefined,
  );
  if (writable.length === 0) return undefined;
  const links = writable.map((r) => linkPlan(plan.table, r, db));
  for (const link of links) {
    if (link.ownKey.writeOnly) {
      throw MODEL_INVALID(
        `${link.relationship.property}: ${plan.table.tableName}.${link.ownKey.name} is writeOnly, so a written row cannot name its links; mark the relationship readOnly`,
        { pointer: link.relationship.pointer },
      );
    }
  }
  const dialect = db.dialect;
  return {
    take(body, whole) {
      if (typeof body !== 'object' || body === null) return undefined;
      const pending: PendingLists = [];
      for (const link of links) {
        const value = (body as Row)[link.relationship.property];
        if (value === undefined && !whole) continue;
        const list = Array.isArray(value) ? value : isToOne(link) && value ? [value] : [];
        pending.push({ link, keys: listedKeys(link, list, dialect) });
      }
      return pending.length > 0 ? pending : undefined;
    },
    async write(tx, row, pending, created) {
      for (const listed of pending) {
        await checkExist(tx, listed);
        const { link } = listed;
        const owner = toDriver(link.ownKey, row[link.ownKey.name], dialect, link.ownKey.name);
        if (link.relationship.kind === 'many-to-many') {
          await writeAssociation(tx, listed, owner, created);
        } else {
          await writeChildren(tx, listed, owner, plan.table, created);
        }
      }
    },
  };
}

const isToOne = (link: LinkPlan) => link.relationship.kind === 'one-to-one';

function listedKeys(link: LinkPlan, list: unknown[], dialect: Database['dialect']) {
  const { relationship: r, targetKey } = link;
  const seen = new Set<string>();
  const keys: ListedKeys['keys'] = [];
  for (const [i, item] of list.entries()) {
    const field = isToOne(link)
      ? `body.${r.property}.${targetKey.name}`
      : `body.${r.property}.${i}.${targetKey.name}`;
    const sent = typeof item === 'object' && item !== null ? (item as Row)[targetKey.name] : null;
    if (sent === undefined || sent === null) {
      const message = `is required: ${r.property} lists each ${r.targetSchema} by its key`;
      throw VALIDATION(`${field}: ${message}`, { pointer: field, details: [{ field, message }] });
    }
    const value = toDriver(targetKey, sent, dialect, field);
    // A key listed twice is one link: the first mention names it.
    if (seen.has(String(value))) continue;
    seen.add(String(value));
    keys.push({ value, sent, field });
  }
  return keys;
}

function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) result.push(items.slice(i, i + CHUNK));
  return result;
}

/** `$from, $from+1, …` for `count` values. */
function placeholders(count: number, from = 1): string {
  return Array.from({ length: count }, (_, i) => `$${i + from}`).join(', ');
}

/** Every listed key must name a row of the target: else 409 naming each one, before any write. */
async function checkExist(tx: Transaction, { link, keys }: ListedKeys): Promise<void> {
  const found = new Set<string>();
  const key = quoted(link.targetKey.name);
  for (const chunk of chunks(keys)) {
    const rows = await transactionQuery(
      tx,
      `SELECT ${key} AS k FROM ${quoted(link.target.tableName)} WHERE ${key} IN (${placeholders(chunk.length)})`,
      chunk.map((k) => k.value),
    );
    for (const row of rows) found.add(String(row.k));
  }
  const missing = keys.filter((k) => !found.has(String(k.value)));
  if (missing.length === 0) return;
  const details = missing.map((k) => ({
    field: k.field,
    message: `no ${link.target.schemaName} has ${link.targetKey.name} ${JSON.stringify(k.sent)}`,
  }));
  throw FOREIGN_KEY_VIOLATION(details.map((d) => `${d.field}: ${d.message}`).join('; '), {
    pointer: details[0]!.field,
    details,
  });
}

/** The association rows become the list: the old ones go, the listed ones are inserted. */
async function writeAssociation(
  tx: Transaction,
  { link, keys }: ListedKeys,
  owner: unknown,
  created: boolean,
): Promise<void> {
  const secondary = link.relationship.secondary!;
  const table = quoted(secondary.table);
  const own = quoted(secondary.ownColumn);
  const other = quoted(link.relationship.foreignKeyColumn);
  if (!created) await transactionQuery(tx, `DELETE FROM ${table} WHERE ${own} = $1`, [owner]);
  for (const chunk of chunks(keys)) {
    const values = chunk.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ');
    await transactionQuery(
      tx,
      `INSERT INTO ${table} (${own}, ${other}) VALUES ${values}`,
      chunk.flatMap((k) => [owner, k.value]),
    );
  }
}

/**
 * The listed children point at the row (moved from another parent if need be); on an update, the
 * children it had that are not listed lose their foreign key, which must then be nullable.
 */
async function writeChildren(
  tx: Transaction,
  { link, keys }: ListedKeys,
  owner: unknown,
  table: TableDescription,
  created: boolean,
): Promise<void> {
  const target = quoted(link.target.tableName);
  const key = quoted(link.targetKey.name);
  const fk = link.foreignKey!;
  const fkName = quoted(fk.name);
  if (!created) {
    const listed = new Set(keys.map((k) => String(k.value)));
    const current = await transactionQuery(
      tx,
      `SELECT ${key} AS k FROM ${target} WHERE ${fkName} = $1`,
      [owner],
    );
    const detached = current.map((row) => row.k).filter((k) => !listed.has(String(k)));
    if (detached.length > 0 && !fk.nullable) {
      throw refusedDetach(link, detached, table);
    }
    for (const chunk of chunks(detached)) {
      await transactionQuery(
        tx,
        `UPDATE ${target} SET ${fkName} = NULL WHERE ${key} IN (${placeholders(chunk.length)})`,
        chunk,
      );
    }
  }
  for (const chunk of chunks(keys)) {
    await transactionQuery(
      tx,
      `UPDATE ${target} SET ${fkName} = $1 WHERE ${key} IN (${placeholders(chunk.length, 2)})`,
      [owner, ...chunk.map((k) => k.value)],
    );
  }
}

/** Children left out of the list whose foreign key is NOT NULL: they cannot be detached. */
function refusedDetach(link: LinkPlan, detached: unknown[], table: TableDescription) {
  const field = `body.${link.relationship.property}`;
  const rows = `${link.target.schemaName} ${detached.map(String).join(', ')}`;
  const them = detached.length === 1 ? 'it' : 'them';
  const message = `leaves out ${rows}, whose ${link.foreignKey!.name} is required: list ${them}, or move or delete ${them} first`;
  return DETACH_REFUSED(`${field}: ${message}`, {
    pointer: field,
    details: [{ field, message: `cannot detach ${rows} from this ${table.schemaName}` }],
  });
}
