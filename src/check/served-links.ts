// The `links` of the spec the server serves at /openapi.json, which specstack completes with links
// from each auto-CRUD create to its item operations (and from x-job operations to their task): the
// stateful planner follows them even when the written spec declares none.

import type { Transport } from './transport.ts';

type Links = Record<string, { operationId?: string; parameters?: Record<string, unknown> }>;

/** Links by `METHOD path` (the spec's path) and then by status. */
export type ServedLinks = Map<string, Record<string, Links>>;

/** The served spec's links; empty when the server serves no spec or one that cannot be read. */
export async function servedLinks(transport: Transport): Promise<ServedLinks> {
  const found: ServedLinks = new Map();
  let served: { paths?: Record<string, Record<string, unknown>> };
  try {
    const answer = await transport({ method: 'GET', url: '/openapi.json', headers: {} });
    if (answer.status !== 200) return found;
    served = JSON.parse(answer.body);
  } catch {
    return found;
  }
  for (const [path, item] of Object.entries(served.paths ?? {})) {
    for (const [method, operation] of Object.entries(item ?? {})) {
      const responses = (operation as { responses?: Record<string, { links?: Links }> })?.responses;
      const links = Object.fromEntries(
        Object.entries(responses ?? {})
          .filter(([, response]) => response?.links)
          .map(([status, response]) => [status, response.links!]),
      );
      if (Object.keys(links).length > 0) found.set(`${method.toUpperCase()} ${path}`, links);
    }
  }
  return found;
}
