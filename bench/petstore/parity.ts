// Before anything is measured: one request of each route to both servers must get the route's
// status, the same content type and headers that matter, and a body of the same shape.

import { headersOf, ROUTES, type Route } from './routes.ts';

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

async function probe(base: string, route: Route) {
  // A fixed path, so both servers are asked the same thing.
  const urlPath =
    route.status === 200 && route.method === 'GET'
      ? route.path().replace(/\/\d+$/, '/1')
      : route.path();
  const response = await fetch(`${base}${urlPath}`, {
    method: route.method,
    headers: headersOf(route),
    ...(route.body ? { body: route.body } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    nextLink: response.headers.has('x-next'),
    shape: shapeOf(JSON.parse(text)),
  };
}

/** Throws, naming every route whose answers differ, or differ from the route's status. */
export async function checkParity(specstack: string, handwritten: string): Promise<void> {
  const faults: string[] = [];
  for (const route of ROUTES) {
    const [s, h] = [await probe(specstack, route), await probe(handwritten, route)];
    if (s.status !== route.status || h.status !== route.status) {
      faults.push(
        `${route.name}: expected ${route.status}, specstack ${s.status}, hand-written ${h.status}`,
      );
    }
    if (JSON.stringify(s) !== JSON.stringify(h)) {
      faults.push(
        `${route.name}:\n  specstack    ${JSON.stringify(s)}\n  hand-written ${JSON.stringify(h)}`,
      );
    }
  }
  if (faults.length > 0) {
    throw new Error(`the two servers answer differently; nothing measured:\n${faults.join('\n')}`);
  }
}
