// `x-versioned` where the server refuses it at start: on a schema without x-tablename (no table,
// so no version column), with a value other than true or false, or beside a property that already
// takes the version column's name.

import { VERSION_COLUMN } from '../model/version-column.ts';
import type { LintRule, LintWarning } from './lint-rule.ts';

const RULE = 'x-versioned';

export const versionedSchemas: LintRule = {
  name: RULE,
  check({ document, at }) {
    const warnings: LintWarning[] = [];
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      if (!schema || typeof schema !== 'object' || !('x-versioned' in schema)) continue;
      const value = (schema as Record<string, unknown>)['x-versioned'];
      const warn = (message: string, location = at(schema, 'x-versioned')) =>
        warnings.push({ rule: RULE, location, message: `${name}: ${message}` });
      if (!('x-tablename' in schema)) {
        warn(
          'x-versioned needs x-tablename: only a table has a version column; the server refuses to start',
        );
      } else if (typeof value !== 'boolean') {
        warn(
          `x-versioned must be true or false, got ${JSON.stringify(value)}; the server refuses to start`,
        );
      } else if (
        value &&
        VERSION_COLUMN in ((schema as { properties?: object }).properties ?? {})
      ) {
        warn(
          `x-versioned adds the column ${VERSION_COLUMN}, which the schema declares as a property; the server refuses to start`,
          at(schema, 'properties', VERSION_COLUMN),
        );
      }
    }
    return warnings;
  },
};
