// Enumerates the spec's operations into the flat records the HTTP layer builds routes from.

import path from 'node:path';
import { HTTP_METHODS, type HttpMethod } from '../spec/index.ts';
import { escapeToken } from '../spec/json-pointer.ts';

export type { HttpMethod };

/** A JSON Schema as it appears in the dereferenced, normalized document. */
export type Schema = Record<string, unknown>;

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
  style?: string;
  explode?: boolean;
  description?: string;
}

export interface MediaTypeObject {
  schema?: Schema;
}

export interface RequestBodyObject {
  required?: boolean;
  content: Record<string, MediaTypeObject>;
}

export interface ResponseObject {
  description?: string;
  headers?: Record<string, { schema?: Schema; required?: boolean }>;
  content?: Record<string, MediaTypeObject>;
}

export interface OperationObject {
  operationId?: string;
  summary?: string;
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses?: Record<string, ResponseObject>;
  'x-handler'?: string;
  [extension: `x-${string}`]: unknown;
}

export interface Operation {
  method: HttpMethod;
  /** The path as the spec writes it: `/pets/{petId}`. */
  path: string;
  /** The same path as Fastify routes it, with the base path: `/api/pets/:petId`. */
  routePath: string;
  operation: OperationObject;
  parameters: ParameterObject[];
  /** `openapi.yaml#/paths/~1pets~1{petId}/get`, for messages. */
  pointer: string;
  /** operationId, or `METHOD path` when the spec gives none. */
  name: string;
}

export function toRoutePath(basePath: string, specPath: string): string {
  const routed = specPath.replace(/\{([^}]+)\}/g, ':$1');
  return `${basePath}${routed}` || '/';
}

/** The path part of servers[0].url (`/api` for `http://localhost/api` or `/api`), without a trailing slash. */
export function basePathOf(document: { servers?: { url?: string }[] }): string {
  const url = document.servers?.[0]?.url;
  if (!url) return '';
  const pathname = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? new URL(url).pathname : url;
  // Server variables ({version}) can't be routed statically; they are not supported in the base path.
  return pathname.replace(/\/+$/, '');
}

export function listOperations(
  document: { paths?: Record<string, Record<string, unknown>>; servers?: { url?: string }[] },
  specFile: string,
): Operation[] {
  const basePath = basePathOf(document);
  const fileName = path.basename(specFile);
  const operations: Operation[] = [];
  for (const [specPath, pathItem] of Object.entries(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method] as OperationObject | undefined;
      if (!operation) continue;
      operations.push({
        method,
        path: specPath,
        routePath: toRoutePath(basePath, specPath),
        operation,
        parameters: operation.parameters ?? [],
        pointer: `${fileName}#/paths/${escapeToken(specPath)}/${method}`,
        name: operation.operationId ?? `${method.toUpperCase()} ${specPath}`,
      });
    }
  }
  return operations;
}

/** Responses in the order a client reads them: exact codes first, then ranges, then default. */
export function successResponse(
  operation: OperationObject,
): { status: number; response: ResponseObject } | undefined {
  const entries = Object.entries(operation.responses ?? {});
  const exact = entries.find(([code]) => /^2\d\d$/.test(code));
  if (exact) return { status: Number(exact[0]), response: exact[1] };
  const range = entries.find(([code]) => code.toUpperCase() === '2XX');
  if (range) return { status: 200, response: range[1] };
  return undefined;
}

/** The JSON media type of a content map: application/json, or any `+json` type. */
export function jsonMediaType(content: Record<string, MediaTypeObject> | undefined) {
  if (!content) return undefined;
  const type = Object.keys(content).find((media) => isJsonMediaType(media));
  return type === undefined ? undefined : { type, media: content[type]! };
}

export function isJsonMediaType(mediaType: string): boolean {
  const base = mediaType.split(';')[0]!.trim().toLowerCase();
  return base === 'application/json' || base.endsWith('+json');
}
