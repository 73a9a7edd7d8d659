// Fastify route schemas from an operation: parameters, body and responses. Fastify compiles them
// once at startup (ajv for validation, fast-json-stringify for responses).

import type { FastifySchema } from 'fastify';
import { MULTIPART, multipartSchema } from './multipart/multipart-body.ts';
import {
  isJsonMediaType,
  type Operation,
  type ParameterObject,
  type Schema,
} from './operations.ts';
import { requestView, responseView } from './schema-views.ts';

/**
 * Marks a body schema whose values arrive as text (forms): they are coerced like parameters.
 * A JSON body is never coerced.
 */
export const COERCE_BODY = 'x-specstack-coerce';

// OpenAPI: header parameters with these names are ignored; the HTTP layer owns them.
const RESERVED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

export function parametersSchema(
  parameters: readonly ParameterObject[],
  location: ParameterObject['in'],
): Schema | undefined {
  const selected = parameters.filter(
    (p) =>
      p.in === location && !(location === 'header' && RESERVED_HEADERS.has(p.name.toLowerCase())),
  );
  if (selected.length === 0) return undefined;
  const name = (p: ParameterObject) => (location === 'header' ? p.name.toLowerCase() : p.name);
  return {
    type: 'object',
    properties: Object.fromEntries(selected.map((p) => [name(p), p.schema ?? {}])),
    required: selected.filter((p) => p.required || p.in === 'path').map(name),
  };
}

function bodySchema(operation: Operation): FastifySchema['body'] {
  const content = operation.operation.requestBody?.content;
  if (!content) return undefined;
  const entries = Object.entries(content).filter(([, media]) => media.schema);
  if (entries.length === 0) return undefined;
  return {
    content: Object.fromEntries(
      entries.map(([type, media]) => {
        const view = requestView(media.schema!);
        const schema = type === MULTIPART ? multipartSchema(view) : view;
        return [
          type,
          { schema: isJsonMediaType(type) ? schema : { ...schema, [COERCE_BODY]: true } },
        ];
      }),
    ),
  };
}

function responseSchemas(operation: Operation): FastifySchema['response'] {
  const response: Record<string, unknown> = {};
  for (const [status, declared] of Object.entries(operation.operation.responses ?? {})) {
    const content = Object.entries(declared.content ?? {}).filter(
      ([type, media]) => media.schema && isJsonMediaType(type),
    );
    if (content.length === 0) continue;
    const [only] = content;
    // A success answered only as application/json gets its serializer without a per-request lookup
    // by content type. Error answers keep the lookup: an unfillable one goes out as problem+json.
    if (content.length === 1 && only![0] === 'application/json' && /^[23]\d\d$/.test(status)) {
      response[status] = responseView(only![1].schema!);
      continue;
    }
    response[status.toLowerCase()] = {
      content: Object.fromEntries(
        content.map(([type, media]) => [type, { schema: responseView(media.schema!) }]),
      ),
    };
  }
  return Object.keys(response).length > 0 ? response : undefined;
}

export function routeSchema(operation: Operation): FastifySchema {
  const schema: FastifySchema = {};
  const params = parametersSchema(operation.parameters, 'path');
  const querystring = parametersSchema(operation.parameters, 'query');
  const headers = parametersSchema(operation.parameters, 'header');
  const body = bodySchema(operation);
  const response = responseSchemas(operation);
  if (params) schema.params = params;
  if (querystring) schema.querystring = querystring;
  if (headers) schema.headers = headers;
  if (body) schema.body = body;
  if (response) schema.response = response;
  return schema;
}
