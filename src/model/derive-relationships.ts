// Relationship properties -> the foreign-key columns and association tables they imply, and the
// RelationshipDescription on each side (x-backref adds the reverse one), with OpenAlchemy's naming:
// many-to-one `<property>_<column>` here, one-to-many `<table>_<column>` on the target,
// many-to-many `<table>_<column>` for each side in the x-secondary table.

import { MODEL_INVALID } from '../errors.ts';
import type { RelationshipProperty } from './relationship-property.ts';
import type {
  ColumnDescription,
  OrderTerm,
  RelationshipDescription,
  TableDescription,
} from './table-description.ts';

export type PendingRelationships = Map<TableDescription, RelationshipProperty[]>;

/** Adds the implied columns and relationships to `tables`; returns the association tables to add. */
export function deriveRelationships(
  tables: TableDescription[],
  pending: PendingRelationships,
): TableDescription[] {
  const associations: TableDescription[] = [];
  // Relationships with x-backref first, so a property the other side declares for the backref
  // (documenting it, often readOnly) is recognized as that backref instead of a second relationship.
  const ordered = [...pending].flatMap(([table, list]) => list.map((r) => [table, r] as const));
  ordered.sort(([, a], [, b]) => Number(b.backref !== undefined) - Number(a.backref !== undefined));
  for (const [table, r] of ordered) {
    const declared = table.relationships.find((d) => d.property === r.property);
    if (declared?.fromBackref && declared.targetTable === r.targetTable) {
      // Declared in the schema, the backref is read and written as that property says.
      declared.readOnly = r.readOnly;
      declared.fromBackref = false;
      if (r.orderBy) declared.orderBy = checkOrder(findTable(tables, r.targetTable, r.pointer), r);
      continue;
    }
    const target = findTable(tables, r.targetTable, r.pointer);
    const relationship = r.secondary
      ? manyToMany(table, target, r, associations)
      : r.many
        ? oneToMany(table, target, r)
        : manyToOne(table, target, r);
    table.relationships.push(relationship);
    if (r.backref) target.relationships.push(backref(target, reverse(relationship, table, r)));
  }
  return associations;
}

function findTable(tables: TableDescription[], name: string, pointer: string): TableDescription {
  const found = tables.find((t) => t.tableName === name);
  if (!found) throw MODEL_INVALID(`no schema declares table "${name}"`, { pointer });
  return found;
}

/** x-foreign-key-column, else the single-column primary key; it must be the key or unique. */
function referencedColumn(table: TableDescription, r: RelationshipProperty): ColumnDescription {
  const name = r.foreignKeyColumn ?? (table.primaryKey.length === 1 ? table.primaryKey[0] : '');
  const column = table.columns.find((c) => c.name === name);
  const key = r.shape ? 'x-foreign-key' : 'x-foreign-key-column';
  const pointer = `${r.pointer}/${key}`;
  if (!column) {
    throw MODEL_INVALID(
      name
        ? `${key} names "${name}", which ${table.tableName} lacks`
        : `${table.tableName} has a composite primary key: name the column with x-foreign-key-column`,
      { pointer },
    );
  }
  if (!column.primaryKey && !column.unique) {
    throw MODEL_INVALID(`${table.tableName}.${name} must be the primary key or x-unique`, {
      pointer,
    });
  }
  return column;
}

/** The foreign-key column, or the one the schema already declares under that name for it. */
function addForeignKey(
  holder: TableDescription,
  name: string,
  referenced: { table: TableDescription; column: ColumnDescription },
  shape: { nullable: boolean; unique: boolean; primaryKey?: boolean; r: RelationshipProperty },
): void {
  const fk = { table: referenced.table.tableName, column: referenced.column.name };
  const existing = holder.columns.find((c) => c.name === name);
  if (existing) {
    if (existing.foreignKey?.table === fk.table && existing.foreignKey.column === fk.column) return;
    throw MODEL_INVALID(
      `the relationship needs column ${holder.tableName}.${name} for its foreign key, and a property of that name already exists without x-foreign-key "${fk.table}.${fk.column}"`,
      { pointer: shape.r.pointer },
    );
  }
  const onDelete = shape.r.onDelete;
  if (onDelete === 'set null' && !shape.nullable) {
    throw MODEL_INVALID('ondelete "set null" needs a nullable relationship', {
      pointer: `${shape.r.pointer}/x-foreign-key-kwargs/ondelete`,
    });
  }
  holder.columns.push({
    name,
    type: referenced.column.type === 'bigint' ? 'bigint' : referenced.column.type,
    primaryKey: shape.primaryKey ?? false,
    autoincrement: false,
    nullable: shape.nullable,
    unique: shape.unique,
    index: !shape.unique && !shape.primaryKey,
    readOnly: false,
    writeOnly: false,
    foreignKey: onDelete ? { ...fk, onDelete } : fk,
    implied: true,
    ...(referenced.column.maxLength ? { maxLength: referenced.column.maxLength } : {}),
    pointer: shape.r.pointer,
  });
}

/** order_by names columns of the related table. */
function checkOrder(target: TableDescription, r: RelationshipProperty): OrderTerm[] {
  const terms = r.orderBy!;
  for (const [i, term] of terms.entries()) {
    if (target.columns.some((c) => c.name === term.column)) continue;
    const kwargs = `${r.pointer}/x-kwargs/order_by`;
    throw MODEL_INVALID(`order_by names "${term.column}", which ${target.tableName} lacks`, {
      pointer: terms.length > 1 ? `${kwargs}/${i}` : kwargs,
    });
  }
  return terms;
}

function base(r: RelationshipProperty, target: TableDescription) {
  return {
    property: r.property,
    targetSchema: target.schemaName,
    targetTable: target.tableName,
    fromBackref: false,
    readOnly: r.readOnly,
    pointer: r.pointer,
    ...(r.backref ? { backref: r.backref } : {}),
    ...(r.orderBy ? { orderBy: checkOrder(target, r) } : {}),
  };
}

function manyToOne(
  table: TableDescription,
  target: TableDescription,
  r: RelationshipProperty,
): RelationshipDescription {
  const column = referencedColumn(target, r);
  if (r.shape) checkShape(target, r);
  const name = `${r.property}_${column.name}`;
  const oneToOne = r.uselist === false;
  const nullable = r.nullable ?? !r.required;
  addForeignKey(table, name, { table: target, column }, { nullable, unique: oneToOne, r });
  return {
    ...base(r, target),
    kind: oneToOne ? 'one-to-one' : 'many-to-one',
    foreignKeyOn: 'self',
    foreignKeyColumn: name,
    referencedColumn: column.name,
    nullable,
  };
}

/** A shape of its own shows columns of the target, never one the target keeps to itself. */
function checkShape(target: TableDescription, r: RelationshipProperty): void {
  for (const name of r.shape!) {
    const column = target.columns.find((c) => c.name === name);
    const pointer = `${r.pointer}/properties/${name}`;
    if (!column) {
      throw MODEL_INVALID(`${target.tableName} has no column "${name}" for this shape to show`, {
        pointer,
      });
    }
    if (column.writeOnly) {
      throw MODEL_INVALID(
        `${target.tableName}.${name} is writeOnly: a related object cannot show it`,
        {
          pointer,
        },
      );
    }
  }
}

function oneToMany(
  table: TableDescription,
  target: TableDescription,
  r: RelationshipProperty,
): RelationshipDescription {
  const column = referencedColumn(table, r);
  const name = `${table.tableName}_${column.name}`;
  addForeignKey(target, name, { table, column }, { nullable: true, unique: false, r });
  return {
    ...base(r, target),
    kind: 'one-to-many',
    foreignKeyOn: 'target',
    foreignKeyColumn: name,
    referencedColumn: column.name,
    nullable: false,
  };
}

function manyToMany(
  table: TableDescription,
  target: TableDescription,
  r: RelationshipProperty,
  associations: TableDescription[],
): RelationshipDescription {
  const secondary = r.secondary!;
  const own = referencedColumn(table, { ...r, foreignKeyColumn: undefined });
  const other = referencedColumn(target, r);
  const ownColumn = `${table.tableName}_${own.name}`;
  const otherColumn = `${target.tableName}_${other.name}`;
  const association: TableDescription = {
    schemaName: secondary,
    tableName: secondary,
    columns: [],
    primaryKey: [ownColumn, otherColumn],
    indexes: [],
    relationships: [],
    association: true,
    pointer: `${r.pointer}/x-secondary`,
  };
  // Removing either side removes its links: a link to nothing has no meaning.
  const shape = {
    nullable: false,
    unique: false,
    primaryKey: true,
    r: { ...r, onDelete: 'cascade' as const },
  };
  addForeignKey(association, ownColumn, { table, column: own }, shape);
  addForeignKey(association, otherColumn, { table: target, column: other }, shape);
  associations.push(association);
  return {
    ...base(r, target),
    kind: 'many-to-many',
    foreignKeyOn: 'secondary',
    foreignKeyColumn: otherColumn,
    referencedColumn: other.name,
    secondary: { table: secondary, ownColumn, ownReferencedColumn: own.name },
    nullable: false,
  };
}

/**
 * A backref the target declares as a readOnly property of its own shape (an inline object or
 * array, since a $ref back would be a cycle) is that relationship, not a JSON column.
 */
function backref(target: TableDescription, r: RelationshipDescription): RelationshipDescription {
  const index = target.columns.findIndex((c) => c.name === r.property);
  if (index === -1) return r;
  const column = target.columns[index]!;
  if (!column.readOnly || column.type !== 'json') {
    throw MODEL_INVALID(
      `x-backref "${r.property}" names a property ${target.schemaName} declares as a column: make it readOnly, of the related shape`,
      { pointer: column.pointer },
    );
  }
  target.columns.splice(index, 1);
  return { ...r, fromBackref: false };
}

/** The relationship x-backref declares on the target, seen from there. */
function reverse(
  forward: RelationshipDescription,
  table: TableDescription,
  r: RelationshipProperty,
): RelationshipDescription {
  const common = {
    property: r.backref!,
    targetSchema: table.schemaName,
    targetTable: table.tableName,
    fromBackref: true,
    readOnly: true,
    nullable: true,
    pointer: `${r.pointer}/x-backref`,
  };
  if (forward.foreignKeyOn === 'secondary') {
    const secondary = forward.secondary!;
    return {
      ...common,
      kind: 'many-to-many',
      foreignKeyOn: 'secondary',
      foreignKeyColumn: secondary.ownColumn,
      referencedColumn: secondary.ownReferencedColumn,
      secondary: {
        table: secondary.table,
        ownColumn: forward.foreignKeyColumn,
        ownReferencedColumn: forward.referencedColumn,
      },
    };
  }
  const toOne =
    forward.kind === 'one-to-one' || (forward.kind === 'one-to-many' && r.uselist === false);
  return {
    ...common,
    kind: toOne ? 'one-to-one' : forward.kind === 'one-to-many' ? 'many-to-one' : 'one-to-many',
    foreignKeyOn: forward.foreignKeyOn === 'self' ? 'target' : 'self',
    foreignKeyColumn: forward.foreignKeyColumn,
    referencedColumn: forward.referencedColumn,
  };
}
