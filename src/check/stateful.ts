// Stateful sequences over one resource: create, read back, update, read back, delete, read (404).
// The item operations and the id come from the create response's `links` when the written spec or
// the served one (/openapi.json, which specstack completes with them) has them, else from the
// auto-CRUD path shape: a collection POST and an item path with one parameter that the created body
// carries (by that name, or `id`).

import type { Schema } from '../http/operations.ts';
import { BY_KEY_MARKER } from '../http/schema-views.ts';
import type { CheckOperation } from './discover-operations.ts';
import { mergeAllOf } from './schema-arbitrary.ts';
import type { ServedLinks } from './served-links.ts';

export interface Resource {
  create: CheckOperation;
  read: CheckOperation;
  update?: CheckOperation;
  remove?: CheckOperation;
  /** The item path's parameter, and where the created body holds its value. */
  parameter: string;
  pointer: string;
}

interface Link {
  operationId?: string;
  parameters?: Record<string, unknown>;
}

function createdSchema(create: CheckOperation): Schema | undefined {
  const responses = create.source.operation.responses ?? {};
  const created = Object.entries(responses).find(([code]) => /^2\d\d$/.test(code))?.[1];
  const media = Object.entries(created?.content ?? {}).find(([type]) => type.includes('json'))?.[1];
  return media?.schema ? mergeAllOf(media.schema) : undefined;
}

interface Followed {
  operation: CheckOperation;
  parameter: string;
  pointer: string;
}

/** The operations the create's success links name, with the path parameter each binds. */
function followLinks(
  create: CheckOperation,
  operations: CheckOperation[],
  served: ServedLinks | undefined,
): Followed[] {
  const written = Object.entries(create.source.operation.responses ?? {}).map(
    ([code, response]) => [code, (response as { links?: Record<string, Link> }).links] as const,
  );
  const fromServer = Object.entries(served?.get(create.route) ?? {});
  const followed: Followed[] = [];
  for (const [code, links] of [...written, ...fromServer]) {
    if (!/^2\d\d$/.test(code) || !links) continue;
    for (const link of Object.values(links as Record<string, Link>)) {
      const operation = operations.find(
        (op) => op.source.operation.operationId === link.operationId && op !== create,
      );
      if (!operation || followed.some((f) => f.operation === operation)) continue;
      for (const [parameter, expression] of Object.entries(link.parameters ?? {})) {
        const match = /^\$response\.body#(\/.*)$/.exec(String(expression));
        if (match) {
          followed.push({
            operation,
            parameter: parameter.replace(/^path\./, ''),
            pointer: match[1]!,
          });
          break;
        }
      }
    }
  }
  return followed;
}

/**
 * Each resource's sequence. A create whose links (written, or added by the served spec) name a
 * read follows them: read, update and delete are the linked operations, wherever their paths are.
 * Otherwise the item operations under the create's path, by the auto-CRUD shape.
 */
export function findResources(operations: CheckOperation[], served?: ServedLinks): Resource[] {
  const resources: Resource[] = [];
  for (const create of operations) {
    if (create.method !== 'POST' || !create.body || create.fullPath.endsWith('}')) continue;
    const followed = followLinks(create, operations, served);
    const linkedRead = followed.find((f) => f.operation.method === 'GET');
    const underCreate = operations.filter((op) => {
      const rest = op.fullPath.slice(create.fullPath.length);
      return op.fullPath.startsWith(create.fullPath) && /^\/\{[^}/]+\}$/.test(rest);
    });
    // Linked operations first; the read's path-mates stand in for what no link names.
    const items = linkedRead
      ? [
          ...followed.filter((f) => f.parameter === linkedRead.parameter).map((f) => f.operation),
          ...operations.filter((op) => op.fullPath === linkedRead.operation.fullPath),
        ]
      : underCreate;
    const read = items.find((op) => op.method === 'GET');
    if (!read) continue;
    const parameter = /\{([^}]+)\}$/.exec(read.fullPath)?.[1];
    if (!parameter) continue;
    const properties = (createdSchema(create)?.properties ?? {}) as Record<string, Schema>;
    const inferred =
      parameter in properties
        ? { parameter, pointer: `/${parameter}` }
        : 'id' in properties
          ? { parameter, pointer: '/id' }
          : undefined;
    const source = linkedRead
      ? { parameter: linkedRead.parameter, pointer: linkedRead.pointer }
      : inferred;
    if (!source) continue;
    const update =
      items.find((op) => op.method === 'PATCH' && op.body) ??
      items.find((op) => op.method === 'PUT' && op.body);
    const remove = items.find((op) => op.method === 'DELETE');
    resources.push({
      create,
      read,
      ...(update ? { update } : {}),
      ...(remove ? { remove } : {}),
      ...source,
    });
  }
  return resources;
}

function sameValue(sent: unknown, got: unknown, schema: Schema | undefined): boolean {
  if (typeof sent === 'string' && typeof got === 'string' && schema?.format === 'date-time') {
    return Date.parse(sent) === Date.parse(got);
  }
  if (typeof sent === 'number' && typeof got === 'number') {
    return sent === got || Math.abs(sent - got) <= 1e-9 * Math.max(Math.abs(sent), Math.abs(got));
  }
  if (Array.isArray(sent)) {
    // A to-many is a set of related keys: written once each, read back in the list's own order.
    const key = (schema?.items as Schema | undefined)?.[BY_KEY_MARKER];
    if (typeof key === 'string') return sameKeys(sent, got, key);
    return (
      Array.isArray(got) &&
      got.length === sent.length &&
      sent.every((item, i) => sameValue(item, got[i], schema?.items as Schema | undefined))
    );
  }
  if (sent && typeof sent === 'object') {
    const key = schema?.[BY_KEY_MARKER];
    // A related object is written by its key: the rest of what was sent is not stored.
    if (typeof key === 'string') {
      const read = (got ?? {}) as Record<string, unknown>;
      return sameValue((sent as Record<string, unknown>)[key], read[key], undefined);
    }
    return !!got && typeof got === 'object' && differences(sent, got, schema).length === 0;
  }
  return sent === got;
}

function sameKeys(sent: unknown[], got: unknown, key: string): boolean {
  if (!Array.isArray(got)) return false;
  const keysOf = (list: unknown[]) =>
    new Set(list.map((item) => JSON.stringify((item as Record<string, unknown> | null)?.[key])));
  const [a, b] = [keysOf(sent), keysOf(got)];
  return a.size === b.size && [...a].every((k) => b.has(k));
}

/** The writable fields sent that read back differently (writeOnly ones are never read back). */
export function differences(sent: unknown, got: unknown, schema: Schema | undefined): string[] {
  if (!sent || typeof sent !== 'object' || Array.isArray(sent))
    return sameValue(sent, got, schema) ? [] : ['(body)'];
  const properties = ((schema ? mergeAllOf(schema) : {}).properties ?? {}) as Record<
    string,
    Schema
  >;
  const read = (got ?? {}) as Record<string, unknown>;
  return Object.entries(sent as Record<string, unknown>)
    .filter(([name]) => properties[name]?.writeOnly !== true && properties[name]?.readOnly !== true)
    .filter(([name, value]) => !sameValue(value, read[name], properties[name]))
    .map(
      ([name, value]) =>
        `${name}: sent ${JSON.stringify(value)}, read ${JSON.stringify(read[name])}`,
    );
}
