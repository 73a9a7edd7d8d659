// Node's HTTP server, built for Fastify (its serverFactory): the timeouts Fastify would set, a
// header size limit, silent connections closed by a sweep, and answers that close their
// connection once the server is closing.

import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyServerFactory, FastifyServerOptions } from 'fastify';

export interface NodeServer {
  factory: FastifyServerFactory;
  /**
   * Once closing starts, connections are not kept alive: new answers say `connection: close`, and
   * a connection whose answer was in flight closes as soon as it is sent, so close() is not held
   * up by idle sockets.
   */
  startClosing(): void;
}

export interface NodeServerOptions {
  /** Largest request line plus headers, in bytes: beyond it Node answers 431. */
  maxHeaderSize: number;
}

/** The answer a connection is serving, if any: Node keeps it on the socket while it is written. */
function answerInFlight(socket: Socket): ServerResponse | undefined {
  const answer = (socket as Socket & { _httpMessage?: unknown })._httpMessage;
  return answer instanceof http.ServerResponse ? answer : undefined;
}

/** Bytes a connection has moved either way, and since when that count has not changed. */
interface Traffic {
  bytes: number;
  quietSince: number;
}

/** How often silent connections are looked for: a quarter of the limit, within 10 ms and 5 s. */
export function sweepInterval(timeoutMs: number): number {
  return Math.min(Math.max(Math.floor(timeoutMs / 4), 10), 5000);
}

/**
 * Closes connections that moved no byte either way for `timeoutMs` (a client that went quiet, or
 * stopped reading its answer), within one sweep interval of the limit. A socket timer would do the
 * same, but Node re-arms it on every read, every write and every request.
 */
function sweepSilentConnections(connections: Map<Socket, Traffic>, timeoutMs: number) {
  const timer = setInterval(() => {
    const now = performance.now();
    for (const [socket, traffic] of connections) {
      const bytes = socket.bytesRead + socket.bytesWritten;
      if (bytes !== traffic.bytes) {
        traffic.bytes = bytes;
        traffic.quietSince = now;
      } else if (now - traffic.quietSince >= timeoutMs) {
        socket.destroy();
      }
    }
  }, sweepInterval(timeoutMs));
  timer.unref();
  return timer;
}

export function nodeServer(serverOptions: NodeServerOptions): NodeServer {
  const maxHeaderSize = serverOptions.maxHeaderSize;
  let closing = false;
  let server: http.Server | undefined;
  // Open connections, kept per connection (not per request) for the sweep and for what closing
  // must tell the answers in flight; Node lists them to no public API.
  const connections = new Map<Socket, Traffic>();
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
      connections.set(socket, { bytes: 0, quietSince: performance.now() });
      socket.once('close', () => connections.delete(socket));
    });
    server.keepAliveTimeout = settings.keepAliveTimeout;
    server.requestTimeout = settings.requestTimeout;
    if (settings.connectionTimeout > 0) {
      const sweep = sweepSilentConnections(connections, settings.connectionTimeout);
      server.once('close', () => clearInterval(sweep));
    }
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
      for (const socket of connections.keys()) {
        const answer = answerInFlight(socket);
        if (answer && !answer.headersSent) answer.setHeader('connection', 'close');
      }
    },
  };
}
