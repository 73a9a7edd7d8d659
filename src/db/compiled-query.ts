// A Drizzle query builder reduced, once, to its SQL text and a function that lays out the bound
// values: the drivers then run it directly, without Drizzle's per-call placeholder fill and row
// mapping (its mapping is replaced by row-reader.ts).

import { is, Param, Placeholder } from 'drizzle-orm';
import { type BuiltElement, compileArrayBuilder } from '../codegen/object-builder.ts';

export interface CompiledQuery {
  sql: string;
  /** The positional values for one run, from the named placeholder values. */
  bind(values: Record<string, unknown>): unknown[];
}

function missingPlaceholder(name: string): never {
  throw new Error(`no value for placeholder "${name}"`);
}

/** What Drizzle's fillPlaceholders does per call, decided per position at compile time. */
function elementOf(param: unknown): BuiltElement {
  if (is(param, Placeholder)) return { property: param.name, missing: missingPlaceholder };
  if (is(param, Param) && is(param.value, Placeholder)) {
    const { encoder } = param;
    return {
      property: param.value.name,
      missing: missingPlaceholder,
      convert: (value) => encoder.mapToDriverValue(value),
    };
  }
  return { constant: param };
}

export function compileQuery(query: unknown): CompiledQuery {
  const { sql, params } = (query as { toSQL(): { sql: string; params: unknown[] } }).toSQL();
  // Straight-line code per statement: each placeholder read under its constant name.
  return { sql, bind: compileArrayBuilder(params.map(elementOf)) };
}
