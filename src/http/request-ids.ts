// Request ids: a caller's `x-request-id` when it is a sane token, else a fresh UUID, echoed on
// every answer. The header is set on the raw response as the request arrives, with the security
// headers computed at startup, so no onSend hook runs per request for them.

import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { FastifyServerFactory, FastifyServerOptions } from 'fastify';
import type { SecurityHeaders } from './safety/security-headers.ts';

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const ASSIGNED = Symbol('specstack.requestId');

type IdentifiedRequest = IncomingMessage & { [ASSIGNED]?: string };

function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Fastify's genReqId: the id the server assigned (requests injected in tests get one here). */
export function genReqId(request: IncomingMessage): string {
  return (request as IdentifiedRequest)[ASSIGNED] ?? requestIdOf(request);
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

/**
 * Fastify's serverFactory: Node's HTTP server, with each response given the request's id before
 * Fastify sees it. Applies the same timeouts Fastify gives the server it would build itself.
 */
export interface RequestIdServerOptions {
  headers: SecurityHeaders;
  /** Largest request line plus headers, in bytes: beyond it Node answers 431. */
  maxHeaderSize: number;
}

export function requestIdServer(serverOptions: RequestIdServerOptions): RequestIdServer {
  const fixed = serverOptions.headers.set;
  const maxHeaderSize = serverOptions.maxHeaderSize;
  let closing = false;
  let server: http.Server | undefined;
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
        const id = requestIdOf(request);
        (request as IdentifiedRequest)[ASSIGNED] = id;
        response.setHeader('x-request-id', id);
        for (let i = 0; i < fixed.length; i++) response.setHeader(fixed[i]![0], fixed[i]![1]);
        if (closing) response.setHeader('connection', 'close');
        handler(request, response);
      },
    );
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
    },
  };
}
