// The two halves of a request target as Fastify's `request.url` holds it (`/api/pets?limit=2`):
// answers name the path alone (error instances, Location, not-found messages), links keep the query.

/** The target's path, without its query. */
export function pathOf(url: string): string {
  const mark = url.indexOf('?');
  return mark === -1 ? url : url.slice(0, mark);
}

/** The target's query, without the `?`; empty when there is none. */
export function queryOf(url: string): string {
  const mark = url.indexOf('?');
  return mark === -1 ? '' : url.slice(mark + 1);
}
