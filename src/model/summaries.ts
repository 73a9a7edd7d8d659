// `x-summary-of`: a readOnly object property whose fields aggregate the rows of one of the table's
// one-to-many relationships (`x-aggregate: count`, `avg(rating)`, `sum|min|max(column)`), computed
// when a row is read: stored nowhere, so never stale.

import { MODEL_INVALID } from '../errors.ts';
import { isObject, type SchemaObject } from './schema-object.ts';
import type { SummaryField, TableDescription } from './table-description.ts';

/** What a summary property says, before its relationship (maybe a backref) is known. */
export interface PendingSummary {
  property: string;
  of: string;
  fields: { name: string; aggregate: string; pointer: string }[];
  pointer: string;
}

/** The summary a property declares, or undefined when it has no x-summary-of. */
export function summaryProperty(
  property: string,
  schema: SchemaObject,
  pointer: string,
): PendingSummary | undefined {
  const of = schema['x-summary-of'];
  if (of === undefined) return undefined;
  if (typeof of !== 'string' || of === '') {
    throw MODEL_INVALID('x-summary-of must name a to-many relationship of this schema', {
      pointer: `${pointer}/x-summary-of`,
    });
  }
  if (schema.readOnly !== true) {
    throw MODEL_INVALID('a summary (x-summary-of) is computed when read: mark it readOnly', {
      pointer,
    });
  }
  const properties = isObject(schema.properties) ? schema.properties : {};
  const fields = Object.entries(properties).map(([name, field]) => {
    const at = `${pointer}/properties/${name}`;
    const aggregate = isObject(field) ? field['x-aggregate'] : undefined;
    if (typeof aggregate !== 'string') {
      throw MODEL_INVALID(
        'each property of a summary says what it is: x-aggregate: count, avg(<column>)…',
        {
          pointer: at,
        },
      );
    }
    return { name, aggregate, pointer: `${at}/x-aggregate` };
  });
  if (fields.length === 0) {
    throw MODEL_INVALID('a summary (x-summary-of) lists the aggregates it shows', { pointer });
  }
  return { property, of, fields, pointer };
}

const NUMERIC = new Set(['integer', 'bigint', 'real', 'double']);
const AGGREGATE = /^(count)$|^(sum|avg|min|max)\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/;

/** Resolves each table's summaries against its relationships, backrefs included. */
export function resolveSummaries(
  tables: TableDescription[],
  pending: Map<TableDescription, PendingSummary[]>,
): void {
  for (const [table, summaries] of pending) {
    for (const summary of summaries) {
      const r = table.relationships.find((each) => each.property === summary.of);
      if (r?.kind !== 'one-to-many') {
        throw MODEL_INVALID(
          `x-summary-of names "${summary.of}", which is no one-to-many relationship of ${table.schemaName} (declare it, or its x-backref)`,
          { pointer: `${summary.pointer}/x-summary-of` },
        );
      }
      const target = tables.find((t) => t.tableName === r.targetTable)!;
      const fields = summary.fields.map((field): SummaryField => {
        const match = AGGREGATE.exec(field.aggregate.trim());
        if (!match) {
          throw MODEL_INVALID(
            `x-aggregate must be count, or sum, avg, min or max of a column: got "${field.aggregate}"`,
            { pointer: field.pointer },
          );
        }
        if (match[1]) return { name: field.name, fn: 'count' };
        const column = target.columns.find((c) => c.name === match[3]);
        if (!column || !NUMERIC.has(column.type)) {
          throw MODEL_INVALID(
            `${target.tableName} has no numeric column "${match[3]}" to aggregate`,
            {
              pointer: field.pointer,
            },
          );
        }
        return { name: field.name, fn: match[2] as SummaryField['fn'], column: column.name };
      });
      table.summaries ??= [];
      table.summaries.push({
        property: summary.property,
        relationship: r,
        fields,
        pointer: summary.pointer,
      });
    }
  }
}
