// Before anything is measured: each route's probes, asked of both servers, must get the route's
// status, the same content type and next-page link, and a body of the same shape, or the same
// body where the suite's rules ask for it.

import { headersOf, type ParityRules, type Route } from './suite.ts';

/** A body's shape: key names and JSON types, arrays by their first item. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return Object.fromEntries(
    Object.keys(value as object)
      .sort()
      .map((key) => [key, shapeOf((value as Record<string, unknown>)[key])]),
  );
}

/** Where two JSON values first differ (`[3].movie.title: "A" / "B"`), or undefined. */
export function firstDifference(a: unknown, b: unknown, at = ''): string | undefined {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const step = Array.isArray(a) ? `${at}[${key}]` : `${at}.${key}`;
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        step,
      );
      if (found) return found;
    }
    return undefined;
  }
  return a === b ? undefined : `${at || 'body'}: ${JSON.stringify(a)} / ${JSON.stringify(b)}`;
}

async function probe(base: string, route: Route, urlPath: string, rules: ParityRules) {
  const response = await fetch(`${base}${urlPath}`, {
    method: route.method,
    headers: headersOf(route),
    ...(route.body ? { body: route.body } : {}),
  });
  const body: unknown = JSON.parse(await response.text());
  return {
    answer: {
      status: response.status,
      contentType: response.headers.get('content-type'),
      nextLink: rules.sameBodies ? response.headers.get('x-next') : response.headers.has('x-next'),
      shape: shapeOf(body),
    },
    body,
  };
}

/** Throws, naming every probe whose answers differ, or differ from the route's status. */
export async function checkParity(
  specstack: string,
  handwritten: string,
  routes: readonly Route[],
  rules: ParityRules,
): Promise<void> {
  const faults: string[] = [];
  for (const route of routes) {
    for (const urlPath of rules.probes(route)) {
      const s = await probe(specstack, route, urlPath, rules);
      const h = await probe(handwritten, route, urlPath, rules);
      const name = rules.probes(route).length > 1 ? `${route.name} (${urlPath})` : route.name;
      if (s.answer.status !== route.status || h.answer.status !== route.status) {
        faults.push(
          `${name}: expected ${route.status}, specstack ${s.answer.status}, hand-written ${h.answer.status}`,
        );
      }
      if (JSON.stringify(s.answer) !== JSON.stringify(h.answer)) {
        faults.push(
          `${name}:\n  specstack    ${JSON.stringify(s.answer)}\n  hand-written ${JSON.stringify(h.answer)}`,
        );
      } else if (rules.sameBodies) {
        const difference = firstDifference(s.body, h.body);
        if (difference) faults.push(`${name}: bodies differ at ${difference}`);
      }
    }
  }
  if (faults.length > 0) {
    throw new Error(`the two servers answer differently; nothing measured:\n${faults.join('\n')}`);
  }
}
