// Reading loose JSON-Schema objects from the normalized document: types, nullability, allOf.

export type SchemaObject = Record<string, unknown>;

export function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The declared types without `null` (3.1 `type: ['string', 'null']` or 3.0 `type: 'string'`). */
export function declaredTypes(schema: SchemaObject): string[] {
  const { type } = schema;
  const types = Array.isArray(type) ? type : typeof type === 'string' ? [type] : [];
  return types.filter((t): t is string => typeof t === 'string' && t !== 'null');
}

/** true / false when the schema says so (3.1 `null` in type, or a leftover 3.0 `nullable`), else undefined. */
export function explicitNullability(schema: SchemaObject): boolean | undefined {
  if (typeof schema.nullable === 'boolean') return schema.nullable;
  if (Array.isArray(schema.type) && schema.type.includes('null')) return true;
  if (schema.type === 'null') return true;
  return undefined;
}

/** Folds a schema's allOf members into one object: properties and required are merged, own keys win. */
export function flattenAllOf(schema: SchemaObject): SchemaObject {
  if (!Array.isArray(schema.allOf)) return schema;
  const merged: SchemaObject = {};
  const properties: SchemaObject = {};
  const required = new Set<string>();
  for (const part of [...schema.allOf.filter(isObject).map(flattenAllOf), schema]) {
    Object.assign(merged, part);
    if (isObject(part.properties)) Object.assign(properties, part.properties);
    if (Array.isArray(part.required)) {
      for (const name of part.required) if (typeof name === 'string') required.add(name);
    }
  }
  delete merged.allOf;
  merged.properties = properties;
  merged.required = [...required];
  return merged;
}

/** The x-tablename of a schema, or of a single allOf member (a $ref to a table, dereferenced). */
export function tableNameOf(schema: SchemaObject): string | undefined {
  if (typeof schema['x-tablename'] === 'string') return schema['x-tablename'];
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) {
      if (isObject(part) && typeof part['x-tablename'] === 'string') return part['x-tablename'];
    }
  }
  return undefined;
}
