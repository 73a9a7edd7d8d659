// Answers for requests Node's HTTP parser refuses before Fastify sees them (headers or request
// line too large, a timeout, malformed HTTP): the spec's shared error shape instead of Fastify's
// bare body, written straight to the socket, which is then closed.

import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import {
  type ErrorFactory,
  HEADERS_TOO_LARGE,
  MALFORMED_REQUEST,
  REQUEST_TIMEOUT,
} from '../../errors.ts';
import type { ErrorResponder } from '../error-responses.ts';
import type { SecurityHeaders } from './security-headers.ts';

const BY_PARSER_CODE: Record<string, ErrorFactory> = {
  HPE_HEADER_OVERFLOW: HEADERS_TOO_LARGE,
  ERR_HTTP_REQUEST_TIMEOUT: REQUEST_TIMEOUT,
};

export type ClientErrorHandler = (error: Error & { code?: string }, socket: Socket) => void;

export function clientErrorHandler(
  responder: ErrorResponder,
  headers: SecurityHeaders,
  log: () => FastifyBaseLogger,
): ClientErrorHandler {
  const extra = Object.entries(headers.api)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (error, socket) => {
    // A client that hung up needs no answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const factory = (error.code && BY_PARSER_CODE[error.code]) || MALFORMED_REQUEST;
    log().info({ code: factory.code, parserCode: error.code }, factory.defaultMessage);
    const { contentType, body } = responder.reply({
      status: factory.statusCode,
      code: factory.code,
      message: factory.defaultMessage,
    });
    const payload = JSON.stringify(body);
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${factory.statusCode} ${STATUS_CODES[factory.statusCode]}\r\n` +
          `content-type: ${contentType}\r\ncontent-length: ${Buffer.byteLength(payload)}\r\n` +
          `${extra}connection: close\r\n\r\n${payload}`,
      );
    }
    socket.destroy();
  };
}
