// components.schemas entries marked x-tablename -> the dialect-free ModelDescription.
// Expects the dereferenced, normalized document (nullability as 3.1 `type: [..., 'null']`).

import { MODEL_INVALID } from '../errors.ts';
import { deriveCompositeIndexes } from './composite-indexes.ts';
import { deriveColumn, renamedFrom } from './derive-column.ts';
import { deriveRelationships, type PendingRelationships } from './derive-relationships.ts';
import { orderTables } from './order-tables.ts';
import { schemaPointer } from './pointer.ts';
import { type RelationshipProperty, relationshipProperty } from './relationship-property.ts';
import { flattenAllOf, isObject, type SchemaObject } from './schema-object.ts';
import { deriveSearch } from './search-fields.ts';
import { type PendingSummary, resolveSummaries, summaryProperty } from './summaries.ts';
import type {
  ColumnDescription,
  ColumnType,
  ModelDescription,
  TableDescription,
} from './table-description.ts';
import { checkVersionedWithoutTable, versionColumn, versionedFlag } from './version-column.ts';

const INTEGER_TYPES: readonly ColumnType[] = ['integer', 'bigint'];

/** Each derived x-tablename schema object -> the names of the relationships it declares. */
const declared = new WeakMap<object, ReadonlySet<string>>();

/**
 * The relationship properties of an x-tablename schema object of a derived document (backrefs
 * declared in a shape of their own included), or undefined for any other object. The views of
 * related objects leave these out (http/schema-views.ts).
 */
export function declaredRelationships(schema: object): ReadonlySet<string> | undefined {
  return declared.get(schema);
}

export function deriveModel(document: unknown, file: string): ModelDescription {
  const components = isObject(document) ? document.components : undefined;
  const schemas = isObject(components) ? components.schemas : undefined;
  if (!isObject(schemas)) return { tables: [] };
  const tables: TableDescription[] = [];
  const seen = new Map<string, string>();
  const pending: PendingRelationships = new Map();
  const raws = new Map<TableDescription, SchemaObject>();
  const summaries = new Map<TableDescription, PendingSummary[]>();
  for (const [schemaName, raw] of Object.entries(schemas)) {
    if (!isObject(raw)) continue;
    if (raw['x-tablename'] === undefined) {
      checkVersionedWithoutTable(raw, file, schemaName);
      continue;
    }
    const relationships: RelationshipProperty[] = [];
    const own: PendingSummary[] = [];
    const table = deriveTable(schemaName, flattenAllOf(raw), file, relationships, own);
    pending.set(table, relationships);
    if (own.length > 0) summaries.set(table, own);
    raws.set(table, raw);
    const other = seen.get(table.tableName);
    if (other) {
      throw MODEL_INVALID(`x-tablename "${table.tableName}" is also used by schema ${other}`, {
        pointer: `${table.pointer}/x-tablename`,
      });
    }
    seen.set(table.tableName, schemaName);
    tables.push(table);
  }
  tables.push(...deriveRelationships(tables, pending));
  resolveSummaries(tables, summaries);
  for (const table of tables) checkForeignKeys(table, tables);
  for (const [table, raw] of raws) {
    const names = table.relationships.filter((r) => !r.fromBackref).map((r) => r.property);
    for (const summary of table.summaries ?? []) names.push(summary.property);
    declared.set(raw, new Set(names));
  }
  return { tables: orderTables(tables) };
}

function deriveTable(
  schemaName: string,
  schema: SchemaObject,
  file: string,
  relationships: RelationshipProperty[],
  summaries: PendingSummary[],
): TableDescription {
  const pointer = schemaPointer(file, schemaName);
  const tableName = schema['x-tablename'];
  if (typeof tableName !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(tableName)) {
    throw MODEL_INVALID('x-tablename must be a SQL identifier (letters, digits, underscores)', {
      pointer: `${pointer}/x-tablename`,
    });
  }
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const columns: ColumnDescription[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const context = {
      name,
      schema: isObject(property) ? property : {},
      required: required.has(name),
      pointer: schemaPointer(file, schemaName, 'properties', name),
    };
    const summary = summaryProperty(name, context.schema, context.pointer);
    if (summary) {
      summaries.push(summary);
      continue;
    }
    const relationship = relationshipProperty(
      name,
      context.schema,
      context.required,
      context.pointer,
    );
    if (relationship) relationships.push(relationship);
    else columns.push(deriveColumn(context));
  }
  const primaryKey = columns.filter((column) => column.primaryKey).map((column) => column.name);
  if (primaryKey.length === 0) {
    throw MODEL_INVALID(`schema ${schemaName} has no primary key: mark a property x-primary-key`, {
      pointer,
    });
  }
  for (const column of columns) {
    column.autoincrement = settleAutoincrement(column, properties[column.name], primaryKey);
  }
  const versioned = versionedFlag(schema, file, schemaName);
  if (versioned) columns.push(versionColumn(schema, file, schemaName));
  const names = new Set(columns.map((column) => column.name));
  const indexes = deriveCompositeIndexes(schema, tableName, names, pointer);
  const table: TableDescription = {
    schemaName,
    tableName,
    columns,
    primaryKey,
    indexes,
    relationships: [],
    pointer,
  };
  if (versioned) table.version = columns.at(-1)!.name;
  const previousName = renamedFrom(schema, pointer);
  if (previousName !== undefined && previousName !== tableName) table.renamedFrom = previousName;
  const search = deriveSearch(table, properties);
  if (search) table.search = search;
  return table;
}

/**
 * As in SQLAlchemy, a lone integer primary key is generated by the database unless
 * x-autoincrement: false says otherwise; x-autoincrement: true anywhere else is an error.
 */
function settleAutoincrement(
  column: ColumnDescription,
  property: unknown,
  primaryKey: string[],
): boolean {
  const declared = isObject(property) ? property['x-autoincrement'] : undefined;
  const loneKey = column.primaryKey && primaryKey.length === 1;
  const integer = INTEGER_TYPES.includes(column.type);
  if (declared === true) {
    if (!integer) {
      throw MODEL_INVALID(`x-autoincrement needs an integer column, not ${column.type}`, {
        pointer: column.pointer,
      });
    }
    if (!loneKey) {
      throw MODEL_INVALID('x-autoincrement is only supported on a single-column primary key', {
        pointer: column.pointer,
      });
    }
    return true;
  }
  return declared === undefined && loneKey && integer;
}

function compatible(a: ColumnType, b: ColumnType): boolean {
  if (a === b) return true;
  return INTEGER_TYPES.includes(a) && INTEGER_TYPES.includes(b);
}

function checkForeignKeys(table: TableDescription, tables: TableDescription[]): void {
  for (const column of table.columns) {
    const fk = column.foreignKey;
    if (!fk) continue;
    const pointer = `${column.pointer}/x-foreign-key`;
    const target = tables.find((t) => t.tableName === fk.table);
    if (!target) {
      throw MODEL_INVALID(`x-foreign-key names table "${fk.table}", which no schema declares`, {
        pointer,
      });
    }
    const referenced = target.columns.find((c) => c.name === fk.column);
    if (!referenced) {
      throw MODEL_INVALID(`x-foreign-key names column "${fk.column}", which ${fk.table} lacks`, {
        pointer,
      });
    }
    if (!compatible(column.type, referenced.type)) {
      throw MODEL_INVALID(
        `x-foreign-key column is ${column.type} but ${fk.table}.${fk.column} is ${referenced.type}`,
        { pointer },
      );
    }
    const isKey = target.primaryKey.length === 1 && target.primaryKey[0] === fk.column;
    if (!isKey && !referenced.unique) {
      throw MODEL_INVALID(
        `${fk.table}.${fk.column} must be the primary key or x-unique to be referenced`,
        { pointer },
      );
    }
    if (fk.onDelete === 'set null' && !column.nullable) {
      throw MODEL_INVALID('ondelete "set null" needs a nullable column', { pointer });
    }
  }
}
