// Recognizes a property that refers to another x-tablename schema and reads OpenAlchemy's
// relationship extensions (x-backref, x-uselist, x-secondary, x-foreign-key-column, x-kwargs) from it.

import { MODEL_INVALID } from '../errors.ts';
import { foreignKeyOnDelete } from './derive-column.ts';
import { isObject, type SchemaObject, tableNameOf } from './schema-object.ts';
import type { ForeignKeyDescription } from './table-description.ts';

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

/** The relationship a property declares, or undefined for a plain column (x-json opts out). */
export function relationshipProperty(
  property: string,
  schema: SchemaObject,
  required: boolean,
  pointer: string,
): RelationshipProperty | undefined {
  if (schema['x-json'] === true) return undefined;
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
  const backref = optionalString(ext, 'x-backref', pointer);
  if (backref) found.backref = backref;
  if (uselist !== undefined) found.uselist = uselist;
  const secondary = optionalString(ext, 'x-secondary', pointer);
  if (secondary) found.secondary = secondary;
  const column = optionalString(ext, 'x-foreign-key-column', pointer);
  if (column) found.foreignKeyColumn = column;
  const onDelete = foreignKeyOnDelete(ext, pointer);
  if (onDelete) found.onDelete = onDelete;
  if (typeof ext.nullable === 'boolean') found.nullable = ext.nullable;
  if (Array.isArray(schema.type) && schema.type.includes('null')) found.nullable = true;
  if (found.secondary && !found.many) {
    throw MODEL_INVALID('x-secondary needs an array of the other schema (many-to-many)', {
      pointer: `${pointer}/x-secondary`,
    });
  }
  return found;
}
