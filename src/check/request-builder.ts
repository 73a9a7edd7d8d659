// Generated values to an HTTP request: parameters serialized by their style (form, simple), the
// body as JSON or a form; and the positive request arbitrary of an operation.

import fc from 'fast-check';
import type { ParameterObject, Schema } from '../http/operations.ts';
import { requestView } from '../http/schema-views.ts';
import type { CheckRequest } from './check-types.ts';
import type { CheckValidators } from './check-validators.ts';
import type { CheckOperation } from './discover-operations.ts';
import { arbitraryFor } from './schema-arbitrary.ts';

/** What a request is made of before it is serialized; negative requests edit this. */
export interface RequestValues {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  header: Record<string, unknown>;
  cookie: Record<string, unknown>;
  /** undefined: no body. */
  body?: unknown;
  /** Sent as is instead of the serialized body (malformed JSON). */
  rawBody?: string;
  /** Overrides the body's declared media type (a wrong content type). */
  contentType?: string;
}

/** The HTTP layer owns these headers: OpenAPI says parameters of these names are ignored. */
const RESERVED_HEADERS = new Set(['accept', 'content-type', 'authorization']);
/**
 * Optional parameters whose values only the server makes (a page cursor from the x-next header):
 * any other value is rightly refused, so positive requests leave them out.
 */
const SERVER_MADE = new Set(['cursor', 'page_token', 'pagetoken', 'next_token', 'continuation']);

export function sendsParameter(parameter: ParameterObject): boolean {
  if (parameter.in === 'header' && RESERVED_HEADERS.has(parameter.name.toLowerCase())) return false;
  return parameter.required === true || !SERVER_MADE.has(parameter.name.toLowerCase());
}

function parameterArbitrary(parameter: ParameterObject, validators: CheckValidators) {
  const text = parameter.in === 'path' ? 'path' : parameter.in === 'query' ? 'any' : 'header';
  const schema = parameter.schema ?? { type: 'string' };
  // The value travels as text and the server reads it back with coercion: check it that way.
  // An empty array has no text form a server can tell from an empty string: none is sent.
  const validate = validators.textValue(schema);
  return arbitraryFor(schema, 1, { text }).filter(
    (value) =>
      !(Array.isArray(value) && value.length === 0) &&
      validate({
        value: Array.isArray(value)
          ? value.map(String)
          : typeof value === 'object'
            ? value
            : String(value),
      }),
  );
}

function locationArbitrary(
  operation: CheckOperation,
  location: ParameterObject['in'],
  validators: CheckValidators,
) {
  const selected = operation.parameters.filter((p) => p.in === location && sendsParameter(p));
  const model = Object.fromEntries(
    selected.map((p) => [p.name, parameterArbitrary(p, validators)]),
  );
  const requiredKeys = selected.filter((p) => p.required || p.in === 'path').map((p) => p.name);
  return fc.record(model, { requiredKeys });
}

/** A body schema's request view, and its validator when ajv can compile it (not a cyclic one). */
export function bodyValidator(operation: CheckOperation, validators: CheckValidators) {
  if (!operation.body) return undefined;
  try {
    return validators.exact(requestView(operation.body.schema));
  } catch {
    return undefined;
  }
}

/** Requests valid by the spec for this operation. */
export function positiveValues(
  operation: CheckOperation,
  validators: CheckValidators,
): fc.Arbitrary<RequestValues> {
  const validate = bodyValidator(operation, validators);
  // Generated from the request view: what the server validates (a related object by its key,
  // readOnly properties left out), and finite where related schemas refer to each other.
  const body = operation.body
    ? arbitraryFor(requestView(operation.body.schema)).filter(
        (value) => !validate || validate(value),
      )
    : fc.constant(undefined);
  return fc.record({
    path: locationArbitrary(operation, 'path', validators),
    query: locationArbitrary(operation, 'query', validators),
    header: locationArbitrary(operation, 'header', validators),
    cookie: locationArbitrary(operation, 'cookie', validators),
    body,
  });
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(text).join(',');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function parameterOf(operation: CheckOperation, location: string, name: string) {
  return operation.parameters.find((p) => p.in === location && p.name === name);
}

function queryString(operation: CheckOperation, query: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const explode = parameterOf(operation, 'query', name)?.explode ?? true;
    if (Array.isArray(value) && explode) for (const item of value) search.append(name, text(item));
    else search.append(name, text(value));
  }
  const encoded = search.toString();
  return encoded ? `?${encoded}` : '';
}

function formBody(value: unknown): string {
  const form = new URLSearchParams();
  for (const [name, item] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(item)) for (const entry of item) form.append(name, text(entry));
    else if (item !== undefined) form.append(name, text(item));
  }
  return form.toString();
}

export function buildRequest(operation: CheckOperation, values: RequestValues): CheckRequest {
  const path = operation.fullPath.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(text(values.path[name] ?? '')),
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(values.header)) {
    if (value !== undefined) headers[name.toLowerCase()] = text(value);
  }
  const cookies = Object.entries(values.cookie).filter(([, value]) => value !== undefined);
  if (cookies.length > 0) {
    headers.cookie = cookies.map(([n, v]) => `${n}=${encodeURIComponent(text(v))}`).join('; ');
  }
  const request: CheckRequest = {
    method: operation.method,
    url: `${path}${queryString(operation, values.query)}`,
    headers,
  };
  const mediaType = values.contentType ?? operation.body?.mediaType ?? 'application/json';
  if (values.rawBody !== undefined) {
    request.body = values.rawBody;
  } else if (values.body !== undefined) {
    request.body =
      mediaType === 'application/x-www-form-urlencoded'
        ? formBody(values.body)
        : JSON.stringify(values.body);
  }
  if (request.body !== undefined) headers['content-type'] = mediaType;
  return request;
}

export type { Schema };
