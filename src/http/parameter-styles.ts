// OpenAPI serializes array parameters in several styles, and Fastify parses only repeated query
// keys (`?a=1&a=2`, style form with explode). The delimited styles are split here, before
// validation coerces the items to their schema's type.

import type { FastifyRequest } from 'fastify';
import type { Operation, ParameterObject, Schema } from './operations.ts';

function isArraySchema(schema: Schema | undefined): boolean {
  const type = schema?.type;
  return type === 'array' || (Array.isArray(type) && type.includes('array'));
}

/** The delimiter of a query array, or undefined for repeated keys (form with explode, the default). */
function queryDelimiter(parameter: ParameterObject): string | undefined {
  const style = parameter.style ?? 'form';
  if (style === 'form') return parameter.explode === false ? ',' : undefined;
  if (parameter.explode === true) return undefined;
  if (style === 'spaceDelimited') return ' ';
  if (style === 'pipeDelimited') return '|';
  return undefined;
}

function split(value: unknown, delimiter: string): unknown {
  if (typeof value === 'string') return value === '' ? [] : value.split(delimiter);
  if (Array.isArray(value)) return value.flatMap((item) => split(item, delimiter) as unknown[]);
  return value;
}

/** A request check splitting the operation's delimited array parameters; none when it has none. */
export function parameterStyleSplitter(operation: Operation) {
  const query = operation.parameters
    .filter((p) => p.in === 'query' && isArraySchema(p.schema))
    .map((p) => ({ name: p.name, delimiter: queryDelimiter(p) }))
    .filter((p): p is { name: string; delimiter: string } => p.delimiter !== undefined);
  // Header arrays have one style, simple: comma-separated.
  const headers = operation.parameters
    .filter((p) => p.in === 'header' && isArraySchema(p.schema))
    .map((p) => p.name.toLowerCase());
  if (query.length === 0 && headers.length === 0) return undefined;
  return (request: FastifyRequest): void => {
    const values = request.query as Record<string, unknown>;
    for (const { name, delimiter } of query) {
      if (values[name] !== undefined) values[name] = split(values[name], delimiter);
    }
    for (const name of headers) {
      const value = request.headers[name];
      if (typeof value === 'string') {
        (request.headers as Record<string, unknown>)[name] = value.split(',').map((v) => v.trim());
      }
    }
  };
}
