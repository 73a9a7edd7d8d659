// Validates a bundled document against the official OpenAPI 3.0 / 3.1 JSON Schemas with ajv, and
// turns ajv's output into one line per fault: `file#/pointer: message`.

import type { ErrorObject } from 'ajv';
import { parsePointer } from './json-pointer.ts';
import { type OpenApiVersion, openApiValidator } from './openapi-validators.ts';
import type { SourceOrigins } from './source-origins.ts';

/** Returns one `file#/pointer: message` line per fault; an empty list when the document is valid. */
export async function validateDocument(
  bundled: unknown,
  version: OpenApiVersion,
  origins: SourceOrigins,
): Promise<string[]> {
  const validate = await openApiValidator(version);
  if (validate(bundled)) return [];
  const lines = reduceErrors(validate.errors ?? []).map(
    (error) => `${origins.locate(bundled, parsePointer(error.instancePath))}: ${describe(error)}`,
  );
  return [...new Set(lines)];
}

/**
 * The OpenAPI schemas say "a Response or a Reference" with oneOf, so ajv reports each fault
 * three times (the real one, "must have required property '$ref'", "must match exactly one
 * schema in oneOf"). Keep the real one: drop the Reference alternative, and drop a oneOf/anyOf
 * complaint when a more precise error sits at or below the same place.
 */
export function reduceErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const meaningful = errors.filter(
    (error) => !(error.keyword === 'required' && error.params.missingProperty === '$ref'),
  );
  const isCombinator = (error: ErrorObject) =>
    error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if';
  return meaningful.filter(
    (error) =>
      !isCombinator(error) ||
      !meaningful.some(
        (other) =>
          other !== error &&
          !isCombinator(other) &&
          (other.instancePath === error.instancePath ||
            other.instancePath.startsWith(`${error.instancePath}/`)),
      ),
  );
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum':
      return `${error.message}: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'additionalProperties':
      return `must NOT have additional property '${String(params.additionalProperty)}'`;
    case 'unevaluatedProperties':
      return `must NOT have unevaluated property '${String(params.unevaluatedProperty)}'`;
    default:
      return error.message ?? error.keyword;
  }
}
