// The operations the checker exercises, from the loaded spec: each with what generation needs
// (parameters, the body's media type and schema) and what checks need (security, responses).

import {
  basePathOf,
  isJsonMediaType,
  listOperations,
  type Operation,
  type ParameterObject,
  type Schema,
} from '../http/operations.ts';
import type {
  OpenAPIDocument,
  SecurityRequirementObject,
  SecuritySchemeObject,
} from '../spec/index.ts';

export interface CheckOperation {
  /** operationId, or `METHOD path`. */
  name: string;
  /** `GET /pets/{petId}`, as the spec writes the path. */
  route: string;
  method: string;
  /** The spec's path, with the base path in front: `/api/pets/{petId}`. */
  fullPath: string;
  source: Operation;
  parameters: ParameterObject[];
  body?: { mediaType: string; schema: Schema; required: boolean };
  /** Declared media types of the body; a request in any other is a negative one. */
  bodyMediaTypes: string[];
  /** The requirements in force (the operation's own, else the document's); [] when public. */
  security: SecurityRequirementObject[];
  /** Credentials are required: some requirement applies and none is the empty `{}`. */
  secured: boolean;
}

const FORM = 'application/x-www-form-urlencoded';

function pickBody(operation: Operation): CheckOperation['body'] {
  const requestBody = operation.operation.requestBody;
  if (!requestBody) return undefined;
  const entries = Object.entries(requestBody.content ?? {});
  const chosen =
    entries.find(([type, media]) => isJsonMediaType(type) && media.schema) ??
    entries.find(([type, media]) => type === FORM && media.schema);
  if (!chosen) return undefined;
  return { mediaType: chosen[0], schema: chosen[1].schema!, required: !!requestBody.required };
}

export function discoverOperations(document: OpenAPIDocument, specFile: string): CheckOperation[] {
  const base = basePathOf(document);
  return listOperations(document as Parameters<typeof listOperations>[0], specFile).map(
    (operation) => {
      const own = (operation.operation as { security?: SecurityRequirementObject[] }).security;
      const security = own ?? document.security ?? [];
      const body = pickBody(operation);
      return {
        name: operation.name,
        route: `${operation.method.toUpperCase()} ${operation.path}`,
        method: operation.method.toUpperCase(),
        fullPath: `${base}${operation.path}`,
        source: operation,
        parameters: operation.parameters,
        ...(body ? { body } : {}),
        bodyMediaTypes: Object.keys(operation.operation.requestBody?.content ?? {}),
        security,
        secured: security.length > 0 && !security.some((r) => Object.keys(r).length === 0),
      };
    },
  );
}

/** The schemes of the document, for credentials and scope checks. */
export function securitySchemes(document: OpenAPIDocument): Record<string, SecuritySchemeObject> {
  return document.components?.securitySchemes ?? {};
}

/** Read-only operations first, deletes last: a delete must not take away what later ones read. */
export function checkOrder(operations: CheckOperation[]): CheckOperation[] {
  const rank = (op: CheckOperation) =>
    op.method === 'GET' || op.method === 'HEAD' ? 0 : op.method === 'DELETE' ? 2 : 1;
  return [...operations].sort((a, b) => rank(a) - rank(b));
}
