// The validators of the official OpenAPI 3.0 and 3.1 JSON Schemas. Compiling them with ajv takes
// a good part of a server's start, so the package's build writes them out as JavaScript (ajv's
// standalone code, `openapi-validator-3.x.js` beside this module) and a start only imports them;
// from the TypeScript sources they are compiled on first use (openapi-validator-compiler.ts).

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';

export type OpenApiVersion = '3.0' | '3.1';
export const OPENAPI_VERSIONS: readonly OpenApiVersion[] = ['3.0', '3.1'];

/** Where the build writes a version's standalone validator: beside this module. */
export function precompiledFile(version: OpenApiVersion): URL {
  return new URL(`./openapi-validator-${version}.js`, import.meta.url);
}

const loaded = new Map<OpenApiVersion, Promise<ValidateFunction>>();

/** The version's validator: the build's standalone module when there is one, else compiled here. */
export function openApiValidator(version: OpenApiVersion): Promise<ValidateFunction> {
  let validator = loaded.get(version);
  if (!validator) {
    const file = precompiledFile(version);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a precompiled validator of this package
    validator = existsSync(fileURLToPath(file))
      ? import(file.href).then((module: { default: ValidateFunction }) => module.default)
      : import('./openapi-validator-compiler.ts').then(
          (compiler) => compiler.compileOpenApiValidator(version).validate,
        );
    loaded.set(version, validator);
  }
  return validator;
}
