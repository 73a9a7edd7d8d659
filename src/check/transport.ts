// Sends a request and reads the whole answer: in-process through Fastify's inject (no port), or
// over HTTP to a running server.

import type { FastifyInstance } from 'fastify';
import type { CheckRequest, CheckResponse } from './check-types.ts';

export type Transport = (request: CheckRequest) => Promise<CheckResponse>;

function flatHeaders(headers: Record<string, unknown>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined)
      flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return flat;
}

export function injectTransport(server: FastifyInstance): Transport {
  return async (request) => {
    const response = await server.inject({
      method: request.method as 'GET',
      url: request.url,
      headers: request.headers,
      ...(request.body !== undefined ? { payload: request.body } : {}),
    });
    return {
      status: response.statusCode,
      headers: flatHeaders(response.headers),
      body: response.body,
    };
  };
}

export function httpTransport(baseUrl: string): Transport {
  const base = baseUrl.replace(/\/+$/, '');
  return async (request) => {
    const response = await fetch(`${base}${request.url}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      redirect: 'manual',
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, body: await response.text() };
  };
}
