// Walks a dereferenced OpenAPI document and produces the one form later parts read: every
// Schema Object normalized (3.0 only; 3.1 schemas are already JSON Schema) and every operation's
// `parameters` holding its path item's parameters too. Pure, identity-preserving through a memo.

import { mergeParameters, type NormalizeMemo, normalizeSchema } from './normalize-schema.ts';
import {
  HTTP_METHODS,
  type OpenAPIDocument,
  type OperationObject,
  type ParameterObject,
} from './openapi-types.ts';

type Node = Record<string, unknown>;

export function normalizeDocument(
  document: Node,
  version: '3.0' | '3.1',
  memo: NormalizeMemo = new Map(),
): OpenAPIDocument {
  const schema = (value: unknown) => (version === '3.0' ? normalizeSchema(value, memo) : value);

  /** Shallow copy of `node` (once per input object), then `fill` replaces the children it knows. */
  const copy = (value: unknown, fill: (node: Node, out: Node) => void): unknown => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const known = memo.get(value);
    if (known) return known;
    const out: Node = { ...(value as Node) };
    memo.set(value, out);
    fill(value as Node, out);
    return out;
  };
  const set = (out: Node, key: string, value: unknown) => {
    if (value !== undefined) out[key] = value;
  };

  const mediaType = (value: unknown) =>
    copy(value, (node, out) => {
      set(out, 'schema', node.schema === undefined ? undefined : schema(node.schema));
      set(out, 'encoding', eachValue(node.encoding, encoding));
    });
  const content = (value: unknown) => eachValue(value, mediaType);
  const encoding = (value: unknown) =>
    copy(value, (node, out) => set(out, 'headers', eachValue(node.headers, parameter)));
  // A Header Object is a Parameter Object without name and in: one function serves both.
  const parameter = (value: unknown) =>
    copy(value, (node, out) => {
      set(out, 'schema', node.schema === undefined ? undefined : schema(node.schema));
      set(out, 'content', content(node.content));
    });
  const parameterList = (value: unknown) =>
    Array.isArray(value) ? (value.map(parameter) as ParameterObject[]) : undefined;
  const requestBody = (value: unknown) =>
    copy(value, (node, out) => set(out, 'content', content(node.content)));
  const response = (value: unknown) =>
    copy(value, (node, out) => {
      set(out, 'headers', eachValue(node.headers, parameter));
      set(out, 'content', content(node.content));
    });
  const callback = (value: unknown) => eachValue(value, pathItem);
  const operation = (value: unknown, pathParameters: ParameterObject[] | undefined) =>
    copy(value, (node, out) => {
      out.parameters = mergeParameters(pathParameters, parameterList(node.parameters));
      set(
        out,
        'requestBody',
        node.requestBody === undefined ? undefined : requestBody(node.requestBody),
      );
      set(out, 'responses', eachValue(node.responses, response));
      set(out, 'callbacks', eachValue(node.callbacks, callback));
    }) as OperationObject;
  const pathItem = (value: unknown): unknown =>
    copy(value, (node, out) => {
      const pathParameters = parameterList(node.parameters);
      set(out, 'parameters', pathParameters);
      for (const method of HTTP_METHODS) {
        if (node[method] !== undefined) out[method] = operation(node[method], pathParameters);
      }
    });
  const components = (value: unknown) =>
    copy(value, (node, out) => {
      set(out, 'schemas', eachValue(node.schemas, schema));
      set(out, 'responses', eachValue(node.responses, response));
      set(out, 'parameters', eachValue(node.parameters, parameter));
      set(out, 'requestBodies', eachValue(node.requestBodies, requestBody));
      set(out, 'headers', eachValue(node.headers, parameter));
      set(out, 'callbacks', eachValue(node.callbacks, callback));
      set(out, 'pathItems', eachValue(node.pathItems, pathItem));
    });

  return copy(document, (node, out) => {
    set(out, 'paths', eachValue(node.paths, pathItem));
    set(out, 'webhooks', eachValue(node.webhooks, pathItem));
    set(out, 'components', components(node.components));
  }) as OpenAPIDocument;
}

/** Maps the entries of an OpenAPI map (paths, responses, content, …), leaving `x-` extensions alone. */
function eachValue(value: unknown, transform: (entry: unknown) => unknown): Node | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => [
      key,
      key.startsWith('x-') ? entry : transform(entry),
    ]),
  );
}
