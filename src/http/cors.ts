// Cross-origin access for browser apps on other origins, from SPECSTACK_CORS_ORIGINS. Off unless
// origins are listed: then, and only then, @fastify/cors adds its hook and its preflight route.

import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { Operation } from './operations.ts';

/** A day would be the browsers' cap anyway; ten minutes lets a changed setting reach them soon. */
const PREFLIGHT_MAX_AGE = 600;

/** x-job operations answer 202 with their task's Location, read with GET <base>/tasks/{taskId}. */
function startsTasks(routes: readonly { operation: Operation }[]): boolean {
  return routes.some(({ operation }) => operation.operation['x-job'] !== undefined);
}

/**
 * The response headers a cross-origin script may read: those the spec declares (Location, a
 * paging cursor, …), the Location of an x-job's 202 (declared by the served spec, maybe not by
 * the file), and the request id every answer carries. Browsers hide all others.
 */
function exposedHeaders(routes: readonly { operation: Operation }[]): string[] {
  const names = new Set(['x-request-id']);
  if (startsTasks(routes)) names.add('location');
  for (const { operation } of routes) {
    for (const response of Object.values(operation.operation.responses ?? {})) {
      for (const name of Object.keys(response.headers ?? {})) names.add(name.toLowerCase());
    }
  }
  return [...names];
}

export function registerCors(
  fastify: FastifyInstance,
  origins: readonly string[],
  routes: readonly { operation: Operation }[],
): void {
  if (origins.length === 0) return;
  const anyOrigin = origins.includes('*');
  const methods = new Set(routes.map((route) => route.operation.method.toUpperCase()));
  // The task route is no operation of the spec, yet a page polls it like one.
  if (startsTasks(routes)) methods.add('GET');
  fastify.register(cors, {
    // A list is matched exactly against the Origin header and the matching one is echoed back.
    origin: anyOrigin ? '*' : [...origins],
    methods: [...methods.add('HEAD')],
    exposedHeaders: exposedHeaders(routes),
    // Cookies (a cookie API key) may cross only to listed origins; browsers refuse them with `*`.
    credentials: !anyOrigin,
    maxAge: PREFLIGHT_MAX_AGE,
  });
}
