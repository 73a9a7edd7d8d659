// Request ids: a caller's `x-request-id` when it is a sane token, else a fresh UUID, echoed on
// every answer with the API's security headers computed at startup. Both go into the reply's own headers
// as the request arrives: set on the raw response instead, they would send every answer down
// Node's slow writeHead path (each of Fastify's headers then re-validated through setHeader).

import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyServerFactory, FastifyServerOptions, onRequestHookHandler } from 'fastify';
import type { HeaderSet } from './safety/security-headers.ts';

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
  return `${PROCESS_PREFIX}-${issued.toString(36)}`;
}

/** The headers every answer carries. Callback style: an async hook would cost a promise per request. */
export function answerHeadersHook(headers: HeaderSet): onRequestHookHandler {
  // Listed once: reply.headers() would list the object's keys again on every request.
  const names = Object.keys(headers);
  const values = names.map((name) => headers[name]!);
  return (request, reply, done) => {
    reply.header('x-request-id', request.id);
    for (let i = 0; i < names.length; i += 1) reply.header(names[i]!, values[i]);
    done();
  };
}

export interface RequestIdServer {
  factory: FastifyServerFactory;
  /**
   * Once closing starts, connections are not kept alive: new answers say `connection: close`, and
   * a connection whose answer was in flight closes as soon as it is sent, so close() is not held
   * up by idle sockets.
   */
  startClosing(): void;
}

export interface RequestIdServerOptions {
  /** Largest request line plus headers, in bytes: beyond it Node answers 431. */
  maxHeaderSize: number;
}

/** The answer a connection is serving, if any: Node keeps it on the socket while it is written. */
function answerInFlight(socket: Socket): ServerResponse | undefined {
  const answer = (socket as Socket & { _httpMessage?: unknown })._httpMessage;
  return answer instanceof http.ServerResponse ? answer : undefined;
}

/**
 * Fastify's serverFactory: Node's HTTP server with the same timeouts Fastify gives the server it
 * would build itself, a header size limit, and answers that close their connection once the
 * server is closing.
 */
export function requestIdServer(serverOptions: RequestIdServerOptions): RequestIdServer {
  const maxHeaderSize = serverOptions.maxHeaderSize;
  let closing = false;
  let server: http.Server | undefined;
  // Open connections, kept per connection (not per request) for what closing must tell the
  // answers in flight; Node lists them to no public API.
  const connections = new Set<Socket>();
  const factory: FastifyServerFactory = (handler, options) => {
    const settings = options as FastifyServerOptions & {
      http?: http.ServerOptions;
      keepAliveTimeout: number;
      requestTimeout: number;
      connectionTimeout: number;
    };
    server = http.createServer(
      { ...settings.http, maxHeaderSize },
      (request: IncomingMessage, response: ServerResponse) => {
        if (closing) response.setHeader('connection', 'close');
        handler(request, response);
      },
    );
    server.on('connection', (socket: Socket) => {
      connections.add(socket);
      socket.once('close', () => connections.delete(socket));
    });
    server.keepAliveTimeout = settings.keepAliveTimeout;
    server.requestTimeout = settings.requestTimeout;
    server.setTimeout(settings.connectionTimeout);
    return server;
  };
  return {
    factory,
    startClosing() {
      closing = true;
      // Node applies it when an answer finishes; 0 would mean no timeout at all.
      if (server) server.keepAliveTimeout = 1;
      // An answer begun before closing would say `keep-alive`, and the client would send its next
      // request on a connection the server is about to close: a reset, not an answer. Told
      // `connection: close`, the client opens a new connection instead, and Node closes this one
      // once the answer is sent. (Idle connections are closed by Fastify: forceCloseConnections.)
      for (const socket of connections) {
        const answer = answerInFlight(socket);
        if (answer && !answer.headersSent) answer.setHeader('connection', 'close');
      }
    },
  };
}
