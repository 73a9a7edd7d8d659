// x-versioned: true on an x-tablename schema adds a version column, a counter the server alone
// writes (1 on insert, one more on every update). Its value is the row's ETag, and a write made
// with If-Match names it in its WHERE clause, so the check and the write are one statement.

import { MODEL_INVALID } from '../errors.ts';
import { schemaPointer } from './pointer.ts';
import { isObject, type SchemaObject } from './schema-object.ts';
import type { ColumnDescription } from './table-description.ts';

/** The version column's name; a schema that declares a property of this name cannot be versioned. */
export const VERSION_COLUMN = 'row_version';

/** The x-versioned flag of a schema, refused (with its pointer) when it is not true or false. */
export function versionedFlag(schema: SchemaObject, file: string, schemaName: string): boolean {
  const value = schema['x-versioned'];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw MODEL_INVALID('x-versioned must be true or false', {
      pointer: schemaPointer(file, schemaName, 'x-versioned'),
    });
  }
  return value;
}

/** The version column of a versioned table, refused when a property already takes its name. */
export function versionColumn(
  schema: SchemaObject,
  file: string,
  schemaName: string,
): ColumnDescription {
  const properties = isObject(schema.properties) ? schema.properties : {};
  if (VERSION_COLUMN in properties) {
    throw MODEL_INVALID(
      `x-versioned adds the column ${VERSION_COLUMN}, which this schema already declares as a property: rename the property or drop x-versioned`,
      { pointer: schemaPointer(file, schemaName, 'properties', VERSION_COLUMN) },
    );
  }
  return {
    name: VERSION_COLUMN,
    type: 'integer',
    primaryKey: false,
    autoincrement: false,
    nullable: false,
    unique: false,
    index: false,
    default: 1,
    readOnly: true,
    writeOnly: false,
    // No property of the schema: row types get it from the table, as they get foreign keys.
    implied: true,
    pointer: schemaPointer(file, schemaName, 'x-versioned'),
  };
}

/**
 * x-versioned only means something beside x-tablename: elsewhere it is refused rather than
 * ignored, since the author expects lost updates to be ruled out.
 */
export function checkVersionedWithoutTable(schema: SchemaObject, file: string, name: string): void {
  if (schema['x-versioned'] === undefined) return;
  throw MODEL_INVALID('x-versioned needs x-tablename: only a table has a version column', {
    pointer: schemaPointer(file, name, 'x-versioned'),
  });
}
