// The check of every schema the server compiles against JSON Schema 2020-12's meta-schema (a
// `minimum: "x"` or `maxLength: -1` is refused at start, not compiled into a validator that means
// nothing). ajv compiles that meta-schema on each instance's first schema, about a tenth of a
// second per instance; the package's build writes it out as ajv standalone code
// (`json-schema-2020-12-validator.js` beside this module), which a start imports instead. From the
// TypeScript sources there is none, and ajv compiles its own.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AnySchema, ValidateFunction } from 'ajv';

/** The meta-schema the precompiled validator checks against: the dialect of OpenAPI 3.1. */
export const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/** Where the build writes it: beside this module. */
export function precompiledMetaValidatorFile(): URL {
  return new URL('./json-schema-2020-12-validator.js', import.meta.url);
}

async function loadPrecompiled(): Promise<ValidateFunction | undefined> {
  const file = precompiledMetaValidatorFile();
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a precompiled validator of this package
  if (!existsSync(fileURLToPath(file))) return undefined;
  const module = (await import(file.href)) as { default: ValidateFunction };
  return module.default;
}

const precompiled = await loadPrecompiled();

/**
 * The precompiled check for a schema in the 2020-12 dialect, or undefined when ajv must check it
 * itself (from the sources, a boolean schema, or a schema naming another `$schema`).
 */
export function precompiledMetaCheck(schema: AnySchema): ValidateFunction | undefined {
  if (!precompiled || typeof schema === 'boolean') return undefined;
  const dialect = (schema as { $schema?: unknown }).$schema;
  return dialect === undefined || dialect === DRAFT_2020_12 ? precompiled : undefined;
}
