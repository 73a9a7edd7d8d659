// Keeps credentials out of the logs: pino redaction paths for authorization headers, cookies, API
// key headers and password fields, and a request serializer that masks API keys in query strings.

import type { FastifyRequest } from 'fastify';
import type { SecuritySchemeObject } from '../spec/openapi-types.ts';

const CENSOR = '[Redacted]';

/** Wherever a request's headers or a body may be logged: as `req`, as themselves, or one level down. */
const BASE_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'headers.authorization',
  'headers.cookie',
  'headers["proxy-authorization"]',
  '*.headers.authorization',
  '*.headers.cookie',
  'res.headers["set-cookie"]',
  'authorization',
  'password',
  '*.password',
  '*.*.password',
  'token',
  'access_token',
  '*.token',
  '*.access_token',
];

export interface LogRedaction {
  redact: { paths: string[]; censor: string };
  serializers: { req: (request: FastifyRequest) => Record<string, unknown> };
}

function headerPaths(name: string): string[] {
  const key = JSON.stringify(name.toLowerCase());
  return [`req.headers[${key}]`, `headers[${key}]`, `*.headers[${key}]`];
}

/** The URL with the values of the named query parameters replaced. */
export function maskQuery(url: string, names: ReadonlySet<string>): string {
  const start = url.indexOf('?');
  if (start < 0 || names.size === 0) return url;
  const masked = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals < 0 ? pair : pair.slice(0, equals);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {}
      return names.has(name) ? `${rawName}=${CENSOR}` : pair;
    });
  return `${url.slice(0, start)}?${masked.join('&')}`;
}

export function logRedaction(schemes: Record<string, SecuritySchemeObject>): LogRedaction {
  const apiKeys = Object.values(schemes).filter(
    (scheme) => scheme.type === 'apiKey' && scheme.name,
  );
  const headers = apiKeys.filter((scheme) => scheme.in === 'header').map((scheme) => scheme.name!);
  // `access_token` is RFC 6750's query form: refused here, but a client may still send it.
  const queryNames = new Set([
    'access_token',
    ...apiKeys.filter((scheme) => scheme.in === 'query').map((scheme) => scheme.name!),
  ]);
  const paths = [
    ...new Set([...BASE_PATHS, ...headerPaths('x-api-key'), ...headers.flatMap(headerPaths)]),
  ];
  return {
    redact: { paths, censor: CENSOR },
    serializers: {
      // Fastify's own request serializer, with the URL masked.
      req: (request) => ({
        method: request.method,
        url: maskQuery(request.url, queryNames),
        version: request.headers?.['accept-version'],
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  };
}
