// Request ids: a caller's `x-request-id` when it is a sane token, else a fresh one, echoed on
// every answer with the API's security headers computed at startup. Both go into the reply's own
// headers as the request arrives, in the one hook every request runs: set on the raw response
// instead, they would send every answer down Node's slow writeHead path (each of Fastify's
// headers then re-validated through setHeader).

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

/**
 * The counter is written as a block number and three digits from a table made once, so no number
 * is turned into text per request: `toString(36)` is V8's general radix conversion, and a decimal
 * number's text goes into V8's number-to-string cache, an old-generation table, which kept every
 * request's id alive past young collections (16 KB promoted per scavenge on the 404 route).
 */
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
let block = 0;
let blockText = '0';
let inBlock = 0;

/** Fastify's genReqId: the caller's id when it is a sane token, else a fresh one. */
export function genReqId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  if (typeof incoming === 'string' && REQUEST_ID.test(incoming)) return incoming;
  if (inBlock === 1000) {
    inBlock = 0;
    block += 1;
    blockText = block.toString(36);
  }
  const id = `${PROCESS_PREFIX}-${blockText}${THREE_DIGITS[inBlock]!}`;
  inBlock += 1;
  return id;
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
