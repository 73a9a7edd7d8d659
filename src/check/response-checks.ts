// The checks every response goes through: not a server error, a documented status, a documented
// content type, a body and headers valid by the schema declared for that status, and the verdict
// on positive (not refused with 400/422) and negative (refused with a 4xx) requests.

import { declaredResponseFor } from '../http/error-responses.ts';
import { isJsonMediaType, type Schema } from '../http/operations.ts';
import { responseView } from '../http/schema-views.ts';
import type { CheckRequest, CheckResponse } from './check-types.ts';
import { type CheckValidators, describeErrors } from './check-validators.ts';
import type { CheckOperation } from './discover-operations.ts';

export interface Finding {
  check: string;
  message: string;
}

export type RequestKind = 'positive' | 'negative' | 'stateful' | 'auth';

function baseType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function matches(declared: string, actual: string): boolean {
  const type = declared.split(';')[0]!.trim().toLowerCase();
  return (
    type === '*/*' ||
    type === actual ||
    (type.endsWith('/*') && actual.startsWith(type.slice(0, -1)))
  );
}

function writeOnlyLeaks(schema: Schema, body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  return Object.entries(properties)
    .filter(([name, property]) => property?.writeOnly === true && name in (body as object))
    .map(([name]) => name);
}

function schemaFindings(
  schema: Schema,
  response: CheckResponse,
  validators: CheckValidators,
): Finding[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return [
      { check: 'response-schema', message: `the body is not JSON: ${response.body.slice(0, 80)}` },
    ];
  }
  const leaks = writeOnlyLeaks(schema, parsed);
  if (leaks.length > 0) {
    return [
      {
        check: 'response-schema',
        message: `writeOnly properties in the response: ${leaks.join(', ')}`,
      },
    ];
  }
  let validate: ReturnType<CheckValidators['exact']>;
  try {
    validate = validators.exact(responseView(schema));
  } catch {
    return [];
  }
  return validate(parsed)
    ? []
    : [
        {
          check: 'response-schema',
          message: `the body does not match the schema for ${response.status}: ${describeErrors(validate)}`,
        },
      ];
}

function headerFindings(
  headers: Record<string, { schema?: Schema; required?: boolean }>,
  response: CheckResponse,
  validators: CheckValidators,
): Finding[] {
  const findings: Finding[] = [];
  for (const [name, header] of Object.entries(headers)) {
    const value = response.headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required)
        findings.push({ check: 'response-headers', message: `required header ${name} is missing` });
      continue;
    }
    if (!header.schema) continue;
    const validate = validators.textValue(header.schema);
    if (!validate({ value })) {
      findings.push({
        check: 'response-headers',
        message: `header ${name}: ${describeErrors(validate)}`,
      });
    }
  }
  return findings;
}

/**
 * specstack, like PostgreSQL text, refuses U+0000 in stored strings (with a 400, on every
 * dialect): a positive request carrying one may be refused without breaking the contract.
 */
function carriesNul(request: CheckRequest | undefined): boolean {
  return !!request && (/%00/.test(request.url) || !!request.body?.includes('\\u0000'));
}

/** Everything wrong with one response to one request of the operation. */
export function checkResponse(
  operation: CheckOperation,
  kind: RequestKind,
  response: CheckResponse,
  validators: CheckValidators,
  request?: CheckRequest,
): Finding[] {
  const findings: Finding[] = [];
  const { status } = response;
  if (status >= 500) findings.push({ check: 'not-a-server-error', message: `answered ${status}` });
  if (kind === 'negative' && status < 400) {
    findings.push({
      check: 'negative-rejected',
      message: `an invalid request was accepted with ${status}`,
    });
  }
  if (kind === 'positive' && (status === 400 || status === 422) && !carriesNul(request)) {
    findings.push({
      check: 'positive-accepted',
      message: `a request valid by the spec was refused with ${status}`,
    });
  }
  const declared = declaredResponseFor(operation.source.operation, status);
  if (!declared) {
    const documented = Object.keys(operation.source.operation.responses ?? {}).join(', ');
    findings.push({
      check: 'status-documented',
      message: `answered ${status}; the spec documents ${documented}`,
    });
    return findings;
  }
  const hasBody = response.body.length > 0;
  const content = declared.content ?? {};
  const actual = baseType(response.headers['content-type']);
  if (
    hasBody &&
    Object.keys(content).length > 0 &&
    !Object.keys(content).some((t) => matches(t, actual))
  ) {
    findings.push({
      check: 'content-type-documented',
      message: `answered ${status} with content type "${actual || '(none)'}"; the spec documents ${Object.keys(content).join(', ')}`,
    });
  } else if (hasBody && isJsonMediaType(actual)) {
    const media = Object.entries(content).find(([t]) => matches(t, actual))?.[1];
    if (media?.schema) findings.push(...schemaFindings(media.schema, response, validators));
  }
  findings.push(...headerFindings(declared.headers ?? {}, response, validators));
  return findings;
}
