// Request ids: a caller's `x-request-id` when it is a sane token, else a fresh one, echoed on
// every answer with the API's security headers computed at startup. Both go into the reply's own
// headers as the request arrives, in the one hook every request runs: set on the raw response instead, they would send every answer down
// Node's slow writeHead path (each of Fastify's headers then re-validated through setHeader).

import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyBaseLogger, onRequestHookHandler } from 'fastify';
import { overHttps, type SecurityHeaders } from './safety/security-headers.ts';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Fresh ids are this process's random prefix and a counter: as unique across processes, workers
 * and restarts as UUIDs (72 random bits per process), without randomUUID's cost on every request
 * (it refills its entropy buffer with a synchronous call every 128 ids).
 */
const PROCESS_PREFIX = randomBytes(9).toString('base64url');
let issued = 0;

/** Fastify's genReqId: the caller's id when it is a sane token, else a fresh one. */
export function genReqId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  if (typeof incoming === 'string' && REQUEST_ID.test(incoming)) return incoming;
  issued += 1;
  // Decimal: Number#toString(36) takes V8's general radix conversion on every call.
  return `${PROCESS_PREFIX}-${issued}`;
}

/**
 * What every request gets as it arrives: the headers every answer carries (its id, the API's
 * security headers, HSTS over HTTPS) and, when given `loggers`, its logger. Callback style: an
 * async hook would cost a promise per request.
 */
export function arrivalHook(
  headers: SecurityHeaders,
  loggers?: (requestId: string) => FastifyBaseLogger,
): onRequestHookHandler {
  // Listed once: reply.headers() would list the object's keys again on every request.
  const names = Object.keys(headers.api);
  const values = names.map((name) => headers.api[name]!);
  return (request, reply, done) => {
    if (loggers) {
      const log = loggers(request.id);
      request.log = log;
      reply.log = log;
    }
    reply.header('x-request-id', request.id);
    for (let i = 0; i < names.length; i += 1) reply.header(names[i]!, values[i]);
    if (overHttps(request)) reply.headers(headers.https);
    done();
  };
}
