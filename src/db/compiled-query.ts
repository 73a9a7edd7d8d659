// A Drizzle query builder reduced, once, to its SQL text and a function that lays out the bound
// values: the drivers then run it directly, without Drizzle's per-call placeholder fill and row
// mapping (its mapping is replaced by row-reader.ts).

import { is, Param, Placeholder } from 'drizzle-orm';

export interface CompiledQuery {
  sql: string;
  /** The positional values for one run, from the named placeholder values. */
  bind(values: Record<string, unknown>): unknown[];
}

type Slot = (values: Record<string, unknown>) => unknown;

function placeholderValue(values: Record<string, unknown>, name: string): unknown {
  const value = values[name];
  if (value === undefined && !(name in values)) {
    throw new Error(`no value for placeholder "${name}"`);
  }
  return value;
}

/** What Drizzle's fillPlaceholders does per call, decided per slot at compile time. */
function slotOf(param: unknown): Slot {
  if (is(param, Placeholder)) {
    const { name } = param;
    return (values) => placeholderValue(values, name);
  }
  if (is(param, Param) && is(param.value, Placeholder)) {
    const { name } = param.value;
    const { encoder } = param;
    return (values) => encoder.mapToDriverValue(placeholderValue(values, name));
  }
  return () => param;
}

export function compileQuery(query: unknown): CompiledQuery {
  const { sql, params } = (query as { toSQL(): { sql: string; params: unknown[] } }).toSQL();
  const slots = params.map(slotOf);
  return {
    sql,
    bind: (values) => slots.map((slot) => slot(values)),
  };
}
