// Recognizes a property that refers to another x-tablename schema and reads OpenAlchemy's
// relationship extensions (x-backref, x-uselist, x-secondary, x-foreign-key-column, x-kwargs) from it.

import { MODEL_INVALID } from '../errors.ts';
import { foreignKeyOnDelete } from './derive-column.ts';
import { declaredTypes, isObject, type SchemaObject, tableNameOf } from './schema-object.ts';
import type { ForeignKeyDescription, OrderTerm } from './table-description.ts';

/** What the property says, before the tables on both sides are known. */
export interface RelationshipProperty {
  property: string;
  /** An array of the target (one-to-many, or many-to-many with x-secondary). */
  many: boolean;
  targetTable: string;
  backref?: string;
  /** x-uselist: false turns a backref list into a single object (one-to-one). */
  uselist?: boolean;
  secondary?: string;
  foreignKeyColumn?: string;
  onDelete?: ForeignKeyDescription['onDelete'];
  nullable?: boolean;
  readOnly: boolean;
  required: boolean;
  /**
   * A to-one in a shape of its own (`x-foreign-key: table.column` on an object): the properties it
   * shows, each a column of the target. Undefined when the property refers to the target's schema.
   */
  shape?: string[];
  /** x-kwargs `order_by` of a to-many: the target's columns its list is sorted by. */
  orderBy?: OrderTerm[];
  pointer: string;
}

/**
 * The x- keys that tune a relationship: those of the property itself when it wraps the target
 * (allOf or array), and of allOf members that are not the target table. A plain dereferenced
 * $ref is the target's own schema, whose x- keys describe that table, not the relationship.
 */
function extensions(schema: SchemaObject): SchemaObject {
  const found: SchemaObject = {};
  const own = typeof schema['x-tablename'] === 'string' ? {} : schema;
  const parts = Array.isArray(schema.allOf) ? schema.allOf.filter(isObject) : [];
  for (const part of [...parts.filter((p) => tableNameOf(p) === undefined), own]) {
    for (const [key, value] of Object.entries(part)) {
      if (key.startsWith('x-') || key === 'readOnly' || key === 'nullable') found[key] = value;
    }
  }
  return found;
}

function optionalString(ext: SchemaObject, key: string, pointer: string): string | undefined {
  const value = ext[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
    throw MODEL_INVALID(`${key} must be a name (letters, digits, underscores)`, {
      pointer: `${pointer}/${key}`,
    });
  }
  return value;
}

/**
 * `x-foreign-key: table.column` on an object property: a to-one relationship that shows the
 * target's row in a shape of its own (some of its columns) instead of the target's schema.
 */
function ownShape(schema: SchemaObject, pointer: string) {
  const value = schema['x-foreign-key'];
  if (value === undefined || !declaredTypes(schema).includes('object')) return undefined;
  const match = typeof value === 'string' ? /^([^.]+)\.([^.]+)$/.exec(value) : null;
  if (!match) {
    throw MODEL_INVALID(`x-foreign-key must be "table.column", got ${JSON.stringify(value)}`, {
      pointer: `${pointer}/x-foreign-key`,
    });
  }
  const properties = isObject(schema.properties) ? Object.keys(schema.properties) : [];
  if (properties.length === 0) {
    throw MODEL_INVALID(
      'a relationship in a shape of its own lists the properties it shows (columns of the target)',
      { pointer: `${pointer}/properties` },
    );
  }
  return { table: match[1]!, column: match[2]!, properties };
}

/** The relationship a property declares, or undefined for a plain column (x-json opts out). */
export function relationshipProperty(
  property: string,
  schema: SchemaObject,
  required: boolean,
  pointer: string,
): RelationshipProperty | undefined {
  if (schema['x-json'] === true) return undefined;
  const shaped = ownShape(schema, pointer);
  if (shaped) return shapedRelationship(property, schema, required, pointer, shaped);
  const items = isObject(schema.items) ? schema.items : undefined;
  const one = tableNameOf(schema);
  const target = one ?? (items ? tableNameOf(items) : undefined);
  if (target === undefined) return undefined;
  const ext = { ...(items && !one ? extensions(items) : {}), ...extensions(schema) };
  const uselist = ext['x-uselist'];
  if (uselist !== undefined && typeof uselist !== 'boolean') {
    throw MODEL_INVALID('x-uselist must be true or false', { pointer: `${pointer}/x-uselist` });
  }
  const found: RelationshipProperty = {
    property,
    many: one === undefined,
    targetTable: target,
    readOnly: ext.readOnly === true || schema.readOnly === true,
    required,
    pointer,
  };
  if (uselist !== undefined) found.uselist = uselist;
  const secondary = optionalString(ext, 'x-secondary', pointer);
  if (secondary) found.secondary = secondary;
  const column = optionalString(ext, 'x-foreign-key-column', pointer);
  if (column) found.foreignKeyColumn = column;
  tune(found, ext, pointer);
  if (Array.isArray(schema.type) && schema.type.includes('null')) found.nullable = true;
  const orderBy = relationshipKwargs(ext, found.many, pointer);
  if (orderBy) found.orderBy = orderBy;
  if (found.secondary && !found.many) {
    throw MODEL_INVALID('x-secondary needs an array of the other schema (many-to-many)', {
      pointer: `${pointer}/x-secondary`,
    });
  }
  return found;
}

/** x-backref, ondelete and nullable, the same on every form. */
function tune(found: RelationshipProperty, ext: SchemaObject, pointer: string): void {
  const backref = optionalString(ext, 'x-backref', pointer);
  if (backref) found.backref = backref;
  const onDelete = foreignKeyOnDelete(ext, pointer);
  if (onDelete) found.onDelete = onDelete;
  if (typeof ext.nullable === 'boolean') found.nullable = ext.nullable;
  // A 3.0 `nullable: false` beside the $ref, as normalization keeps it.
  if (ext['x-nullable'] === false) found.nullable = false;
}

function shapedRelationship(
  property: string,
  schema: SchemaObject,
  required: boolean,
  pointer: string,
  shaped: { table: string; column: string; properties: string[] },
): RelationshipProperty {
  const uselist = schema['x-uselist'];
  if (uselist !== undefined && typeof uselist !== 'boolean') {
    throw MODEL_INVALID('x-uselist must be true or false', { pointer: `${pointer}/x-uselist` });
  }
  const found: RelationshipProperty = {
    property,
    many: false,
    targetTable: shaped.table,
    foreignKeyColumn: shaped.column,
    readOnly: schema.readOnly === true,
    required,
    shape: shaped.properties,
    pointer,
  };
  if (uselist !== undefined) found.uselist = uselist;
  tune(found, schema, pointer);
  relationshipKwargs(schema, false, pointer);
  if (Array.isArray(schema.type) && schema.type.includes('null')) found.nullable = true;
  return found;
}

/** The arguments of SQLAlchemy's relationship() that specstack implements, through x-kwargs. */
export const SUPPORTED_KWARGS = ['order_by'] as const;

/**
 * x-kwargs: OpenAlchemy passes them to relationship(). specstack implements `order_by` (a column
 * of the target, optionally followed by `asc` or `desc`, or a list of those) and refuses any other
 * rather than ignore it: a spec that relies on one would otherwise behave differently, unseen.
 */
function relationshipKwargs(
  ext: SchemaObject,
  many: boolean,
  pointer: string,
): OrderTerm[] | undefined {
  const kwargs = ext['x-kwargs'];
  if (kwargs === undefined) return undefined;
  const at = `${pointer}/x-kwargs`;
  if (!isObject(kwargs)) throw MODEL_INVALID('x-kwargs must be an object', { pointer: at });
  for (const key of Object.keys(kwargs)) {
    if (!(SUPPORTED_KWARGS as readonly string[]).includes(key)) {
      throw MODEL_INVALID(
        `x-kwargs "${key}" is not supported (specstack implements ${SUPPORTED_KWARGS.join(', ')}): remove it`,
        { pointer: `${at}/${key}` },
      );
    }
  }
  if (kwargs.order_by === undefined) return undefined;
  const orderPointer = `${at}/order_by`;
  if (!many) {
    throw MODEL_INVALID('order_by sorts a list: it needs a one-to-many or many-to-many', {
      pointer: orderPointer,
    });
  }
  const terms = Array.isArray(kwargs.order_by) ? kwargs.order_by : [kwargs.order_by];
  if (terms.length === 0) {
    throw MODEL_INVALID('order_by names at least one column', { pointer: orderPointer });
  }
  return terms.map((term, i) => {
    const words = typeof term === 'string' ? term.trim().split(/\s+/) : [];
    const [column, order] = words;
    const named = column !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(column);
    const ordered = order === undefined || /^(asc|desc)$/i.test(order);
    if (!named || !ordered || words.length > 2) {
      throw MODEL_INVALID(
        `order_by must be a column of the related schema, optionally followed by asc or desc ("name desc"), got ${JSON.stringify(term)}`,
        { pointer: Array.isArray(kwargs.order_by) ? `${orderPointer}/${i}` : orderPointer },
      );
    }
    const direction: OrderTerm['direction'] = order?.toLowerCase() === 'desc' ? 'desc' : 'asc';
    return { column, direction };
  });
}
