// One property of an x-tablename schema -> one column, with OpenAlchemy's meaning of the x- extensions.

import { MODEL_INVALID } from '../errors.ts';
import {
  declaredTypes,
  explicitNullability,
  isObject,
  type SchemaObject,
} from './schema-object.ts';
import type { ColumnDescription, ColumnType, ForeignKeyDescription } from './table-description.ts';

export interface PropertyContext {
  name: string;
  schema: SchemaObject;
  required: boolean;
  pointer: string;
}

const ON_DELETE = ['cascade', 'restrict', 'set null', 'no action'] as const;

function columnType(schema: SchemaObject): ColumnType {
  if (schema['x-json'] === true) return 'json';
  const types = declaredTypes(schema);
  if (types.length !== 1) {
    // No type, or a union: only JSON can hold it. An untyped enum of strings stays text.
    if (types.length === 0 && Array.isArray(schema.enum) && schema.enum.every(isString)) {
      return 'text';
    }
    return 'json';
  }
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  switch (types[0]) {
    case 'integer':
      return format === 'int64' ? 'bigint' : 'integer';
    case 'number':
      return format === 'float' ? 'real' : 'double';
    case 'boolean':
      return 'boolean';
    case 'string':
      return stringType(format);
    default:
      return 'json';
  }
}

function stringType(format: string | undefined): ColumnType {
  switch (format) {
    case 'date':
      return 'date';
    case 'date-time':
      return 'timestamp';
    case 'uuid':
      return 'uuid';
    case 'binary':
    case 'byte':
      return 'binary';
    default:
      return 'text';
  }
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function flag(schema: SchemaObject, key: string, pointer: string): boolean | undefined {
  const value = schema[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    throw MODEL_INVALID(`${key} must be true or false`, { pointer: `${pointer}/${key}` });
  }
  return value;
}

/** x-foreign-key: "table.column", with OpenAlchemy's x-foreign-key-kwargs: { ondelete }. */
function foreignKey(schema: SchemaObject, pointer: string): ForeignKeyDescription | undefined {
  const value = schema['x-foreign-key'];
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? /^([^.]+)\.([^.]+)$/.exec(value) : null;
  if (!match) {
    throw MODEL_INVALID(`x-foreign-key must be "table.column", got ${JSON.stringify(value)}`, {
      pointer: `${pointer}/x-foreign-key`,
    });
  }
  const fk: ForeignKeyDescription = { table: match[1]!, column: match[2]! };
  const onDelete = foreignKeyOnDelete(schema, pointer);
  if (onDelete) fk.onDelete = onDelete;
  return fk;
}

/** x-foreign-key-kwargs: { ondelete }, on a foreign-key column or a relationship property. */
export function foreignKeyOnDelete(
  schema: SchemaObject,
  pointer: string,
): ForeignKeyDescription['onDelete'] {
  const kwargs = schema['x-foreign-key-kwargs'];
  const raw = isObject(kwargs) ? kwargs.ondelete : undefined;
  if (raw === undefined) return undefined;
  const onDelete = typeof raw === 'string' ? raw.toLowerCase() : raw;
  if (!ON_DELETE.includes(onDelete as (typeof ON_DELETE)[number])) {
    throw MODEL_INVALID(`ondelete must be one of ${ON_DELETE.join(', ')}`, {
      pointer: `${pointer}/x-foreign-key-kwargs/ondelete`,
    });
  }
  return onDelete as ForeignKeyDescription['onDelete'];
}

const TIMESTAMP_KINDS = ['created', 'updated'] as const;

/** x-timestamp: created | updated, on a date-time column only. */
function timestampKind(
  schema: SchemaObject,
  type: ColumnType,
  pointer: string,
): ColumnDescription['timestamp'] {
  const value = schema['x-timestamp'];
  if (value === undefined) return undefined;
  if (!TIMESTAMP_KINDS.includes(value as (typeof TIMESTAMP_KINDS)[number])) {
    throw MODEL_INVALID(`x-timestamp must be one of ${TIMESTAMP_KINDS.join(', ')}`, {
      pointer: `${pointer}/x-timestamp`,
    });
  }
  if (type !== 'timestamp') {
    throw MODEL_INVALID(`x-timestamp needs a string column with format date-time, not ${type}`, {
      pointer: `${pointer}/x-timestamp`,
    });
  }
  return value as ColumnDescription['timestamp'];
}

/** x-renamed-from: the SQL name this column or table had before (shared with derive-model.ts). */
export function renamedFrom(schema: SchemaObject, pointer: string): string | undefined {
  const value = schema['x-renamed-from'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
    throw MODEL_INVALID('x-renamed-from must be the old SQL name (letters, digits, underscores)', {
      pointer: `${pointer}/x-renamed-from`,
    });
  }
  return value;
}

export function deriveColumn(property: PropertyContext): ColumnDescription {
  const { name, schema, pointer } = property;
  const type = columnType(schema);
  const primaryKey = flag(schema, 'x-primary-key', pointer) ?? false;
  const nullability = explicitNullability(schema);
  const column: ColumnDescription = {
    name,
    type,
    primaryKey,
    // Settled by the table, which knows whether the key has one column.
    autoincrement: flag(schema, 'x-autoincrement', pointer) ?? false,
    nullable: primaryKey ? false : (nullability ?? !property.required),
    unique: flag(schema, 'x-unique', pointer) ?? false,
    index: flag(schema, 'x-index', pointer) ?? false,
    readOnly: schema.readOnly === true,
    writeOnly: schema.writeOnly === true,
    pointer,
  };
  if (type === 'text' && typeof schema.maxLength === 'number') column.maxLength = schema.maxLength;
  if (schema.default !== undefined) column.default = schema.default;
  if (Array.isArray(schema.enum)) column.enum = schema.enum.filter((v) => v !== null);
  const fk = foreignKey(schema, pointer);
  if (fk) column.foreignKey = fk;
  const previousName = renamedFrom(schema, pointer);
  if (previousName !== undefined && previousName !== name) column.renamedFrom = previousName;
  const timestamp = timestampKind(schema, type, pointer);
  if (timestamp) column.timestamp = timestamp;
  return column;
}
