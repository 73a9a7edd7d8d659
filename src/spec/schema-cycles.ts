// Which recursive schemas specstack serves. Two x-tablename schemas may refer to each other through
// relationship properties (Employee.division -> Division, Division.employees -> Employee): answers
// nest one level, so the view of a related object leaves out its own relationships and every such
// cycle is cut there (http/schema-views.ts). Any other cycle (a tree of plain objects, a JSON column
// holding its own table's shape) would make an endless validator or serializer, and is refused.

import { toPointer } from './json-pointer.ts';

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The x-tablename of a schema, or of one of its allOf members (a $ref to a table, dereferenced). */
export function schemaTableName(schema: Node): string | undefined {
  if (typeof schema['x-tablename'] === 'string') return schema['x-tablename'];
  if (!Array.isArray(schema.allOf)) return undefined;
  for (const part of schema.allOf) {
    if (isNode(part) && typeof part['x-tablename'] === 'string') return part['x-tablename'];
  }
  return undefined;
}

/**
 * Whether a property of a table schema is a relationship, from its shape alone: it refers to
 * another table (directly, through allOf, or as the items of an array), or is an object in a shape
 * of its own with `x-foreign-key`. `x-json: true` makes it a JSON column instead.
 */
export function isRelationshipSchema(property: unknown): boolean {
  if (!isNode(property) || property['x-json'] === true) return false;
  // A summary of related rows (x-summary-of) is loaded with them, at the top only.
  if (typeof property['x-summary-of'] === 'string') return true;
  if (schemaTableName(property) !== undefined) return true;
  if (isNode(property.items) && schemaTableName(property.items) !== undefined) return true;
  const types = Array.isArray(property.type) ? property.type : [property.type];
  return typeof property['x-foreign-key'] === 'string' && types.includes('object');
}

/** A table schema's properties, its allOf members' included: what its rows are made of. */
function tableProperties(schema: Node): [string, unknown][] {
  const parts = [...(Array.isArray(schema.allOf) ? schema.allOf.filter(isNode) : []), schema];
  return parts.flatMap((part) => (isNode(part.properties) ? Object.entries(part.properties) : []));
}

/** The children a walk follows from `node`, with the key that leads to each. */
function children(node: unknown): [string, unknown][] {
  if (Array.isArray(node)) return node.map((child, index) => [String(index), child]);
  if (!isNode(node)) return [];
  if (schemaTableName(node) === undefined) return Object.entries(node);
  // A table: everything but its relationships, which the views cut (allOf members are walked as
  // parts of the table, through their own properties).
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' || key === 'allOf') continue;
    out.push([key, value]);
  }
  for (const [name, property] of tableProperties(node)) {
    if (!isRelationshipSchema(property)) out.push([`properties/${name}`, property]);
  }
  return out;
}

export interface UnservedCycle {
  /** The object whose child closes the cycle. */
  holder: object;
  /** The key path from `holder` to that child: `parent`, or `properties/parent` for a table. */
  key: string;
}

/**
 * The first cycle of the (fully dereferenced, possibly cyclic) document that no relationship
 * breaks, or undefined when every cycle goes through one.
 */
export function findUnservedCycle(document: unknown): UnservedCycle | undefined {
  const state = new Map<object, 'open' | 'done'>();
  // Iterative depth-first search: a deep document must not overflow the stack.
  const visit = (root: object): UnservedCycle | undefined => {
    const stack: { node: object; next: [string, unknown][]; index: number }[] = [];
    const enter = (node: object) => {
      state.set(node, 'open');
      stack.push({ node, next: children(node), index: 0 });
    };
    enter(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.index === top.next.length) {
        state.set(top.node, 'done');
        stack.pop();
        continue;
      }
      const [key, child] = top.next[top.index++]!;
      if (child === null || typeof child !== 'object') continue;
      const seen = state.get(child);
      if (seen === 'open') return { holder: top.node, key };
      if (seen === undefined) enter(child);
    }
    return undefined;
  };
  // Every object is a start, so a cycle reached only through a relationship is found too.
  const all: object[] = [];
  const collected = new Set<object>();
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object' || collected.has(node)) continue;
    collected.add(node);
    all.push(node);
    pending.push(...Object.values(node));
  }
  for (const node of all) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

/** `pointerOf(holder)` + the key path, escaped as JSON pointer tokens. */
export function cyclePointer(cycle: UnservedCycle, holderPointer: string): string {
  const tokens = cycle.key.startsWith('properties/')
    ? ['properties', cycle.key.slice('properties/'.length)]
    : [cycle.key];
  return `${holderPointer}${toPointer(tokens)}`;
}
