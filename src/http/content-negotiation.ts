// Content negotiation from the spec: a 406 when the Accept header excludes every media type an
// operation answers in, and the declared type a handler's answer goes out in (CSV stays CSV).

import type { FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { NOT_ACCEPTABLE } from '../errors.ts';
import { declaredResponseFor } from './error-responses.ts';
import { isJsonMediaType, type Operation } from './operations.ts';

/** The media types the operation's 2xx responses declare; error answers do not count (RFC 9110 §15.5.7). */
function successTypes(operation: Operation): string[] {
  const types = new Set<string>();
  for (const [status, response] of Object.entries(operation.operation.responses ?? {})) {
    if (/^2(\d\d|XX)$/i.test(status)) {
      for (const type of Object.keys(response.content ?? {})) types.add(type.toLowerCase());
    }
  }
  return [...types];
}

/** The acceptable types among `types`, the client's favourite first; every one without Accept. */
function acceptable(accept: string | undefined, types: readonly string[]): string[] {
  if (accept === undefined || accept === '*/*') return [...types];
  return new Negotiator({ headers: { accept } }).mediaTypes([...types]);
}

/**
 * A request check answering 406 when Accept rules out every documented response type; undefined
 * for operations with no response body or with a wildcard type, which anything may accept.
 */
export function acceptCheck(operation: Operation): ((request: FastifyRequest) => void) | undefined {
  const types = successTypes(operation);
  if (types.length === 0 || types.some((type) => type.includes('*'))) return undefined;
  // Clients send one Accept value over and over: the last accepted one is remembered.
  let lastAccepted: string | undefined;
  return (request) => {
    const accept = request.headers.accept;
    if (accept === undefined || accept === '*/*' || accept === lastAccepted) return;
    if (acceptable(accept, types).length === 0) {
      throw NOT_ACCEPTABLE(
        `Accept "${accept}" excludes every type this answers in: ${types.join(', ')}`,
      );
    }
    lastAccepted = accept;
  };
}

/** Bodies sent as they are: the handler has already written them in a media type of its own. */
function isRaw(body: unknown): boolean {
  return (
    typeof body === 'string' ||
    body instanceof Uint8Array ||
    typeof (body as { pipe?: unknown } | null)?.pipe === 'function'
  );
}

/**
 * The media type each answer goes out in: a raw body (string, bytes, stream) in the status's
 * non-JSON type, an object in its JSON type, the client's favourite when several fit. Undefined for
 * application/json, which Fastify sets itself on a serialized body. Looked up once per status.
 */
export function responseTypeChooser(
  operation: Operation,
): (status: number, body: unknown, request: FastifyRequest) => string | undefined {
  const known = new Map<number, { json: string[]; raw: string[] }>();
  const typesOf = (status: number) => {
    let found = known.get(status);
    if (!found) {
      const types = Object.keys(declaredResponseFor(operation.operation, status)?.content ?? {});
      found = {
        json: types.filter(isJsonMediaType),
        raw: types.filter((type) => !isJsonMediaType(type)),
      };
      known.set(status, found);
    }
    return found;
  };
  return (status, body, request) => {
    const { json, raw } = typesOf(status);
    const candidates = isRaw(body) && raw.length > 0 ? raw : json;
    const type =
      candidates.length > 1
        ? (acceptable(request.headers.accept, candidates)[0] ?? candidates[0])
        : candidates[0];
    return type === 'application/json' ? undefined : type;
  };
}
