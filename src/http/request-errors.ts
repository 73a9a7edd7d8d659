// Turns ajv's errors into what a client can act on: the field, in request terms, and what is wrong
// with it (`body.name: must be string`, `query.limit: must be <= 100`).

import { withoutStack } from '../errors.ts';
import { READ_ONLY_MARKER } from './schema-views.ts';
import type { ErrorObject } from './validator.ts';

export type RequestPart = 'params' | 'query' | 'headers' | 'cookies' | 'body';

export interface FieldError {
  /** `body.owner.name`, `query.limit`, `params.petId`, or `body` for the body as a whole. */
  field: string;
  message: string;
}

/** `body.owner.name` from the part, ajv's instance pointer (`/owner`) and a property it names. */
function fieldName(part: RequestPart, pointer: string, extra: string | undefined): string {
  let field: string = part;
  if (pointer !== '') {
    for (const token of pointer.slice(1).split('/')) {
      field += `.${token.includes('~') ? token.replaceAll('~1', '/').replaceAll('~0', '~') : token}`;
    }
  }
  return extra === undefined ? field : `${field}.${extra}`;
}

function describe(error: ErrorObject): { extra?: string; message: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { extra: String(params.missingProperty), message: 'is required' };
    case 'additionalProperties':
      return { extra: String(params.additionalProperty), message: 'is not allowed' };
    case 'unevaluatedProperties':
      return { extra: String(params.unevaluatedProperty), message: 'is not allowed' };
    case READ_ONLY_MARKER:
      return { message: 'is read-only and cannot be sent' };
    case 'format':
      return { message: `must be a valid ${String(params.format)}` };
    case 'enum':
      return {
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    default:
      return { message: error.message ?? 'is invalid' };
  }
}

export function fieldErrors(part: RequestPart, errors: readonly ErrorObject[]): FieldError[] {
  const seen = new Set<string>();
  const result: FieldError[] = [];
  for (const error of errors) {
    // The branches of anyOf/oneOf each report; the summary error says enough.
    if (error.schemaPath.includes('/anyOf/') || error.schemaPath.includes('/oneOf/')) continue;
    const { extra, message } = describe(error);
    const field = fieldName(part, error.instancePath, extra);
    // Most invalid requests have one error: only a second one needs the duplicate check.
    if (errors.length > 1) {
      const line = `${field}: ${message}`;
      if (seen.has(line)) continue;
      seen.add(line);
    }
    result.push({ field, message });
  }
  return result;
}

export function summarize(errors: readonly FieldError[]): string {
  return errors.map((error) => `${error.field}: ${error.message}`).join('; ');
}

/**
 * Fastify's schemaErrorFormatter: the message Fastify's default formatter writes, on an error
 * without a stack (errors.ts `withoutStack`). The answer's body is built from the error's
 * `validation` (error-handler.ts).
 */
export function requestSchemaError(errors: readonly ErrorObject[], dataVar: string): Error {
  let text = '';
  for (let i = 0; i < errors.length; i += 1) {
    const error = errors[i]!;
    text += `${i === 0 ? '' : ', '}${dataVar}${error.instancePath} ${error.message ?? 'is invalid'}`;
  }
  return withoutStack(() => new Error(text));
}
