// Ajv instances for request validation. Path, query, header and cookie values arrive as strings
// and are coerced to their schema's type; a JSON body is never coerced: a wrong type is a 400.

import type { AnySchema, ErrorObject, Options, ValidateFunction } from 'ajv';
// JSON Schema 2020-12, the dialect of OpenAPI 3.1 (3.0 documents are normalized to it): the
// draft-07 class would silently ignore prefixItems, unevaluatedProperties and dependentRequired.
import { Ajv2020 as Ajv } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { precompiledMetaCheck } from './schema-meta-validator.ts';
import { READ_ONLY_MARKER } from './schema-views.ts';

const INT32 = 2 ** 31;

/** The formats OpenAPI names (int32, int64, float, double, byte, …) and the readOnly marker. */
export function addOpenApiFormats<T extends Ajv>(ajv: T): T {
  addFormats.default(ajv);
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32,
  });
  // JSON numbers beyond 2^53 lose precision in JavaScript: such an id is out of range, not silently rounded.
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  // eslint-disable-next-line security/detect-unsafe-regex -- linear: no repetition can match the same text two ways (checked on 1 MB inputs)
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addFormat('binary', true);
  ajv.addFormat('password', true);
  ajv.addKeyword({ keyword: READ_ONLY_MARKER, schemaType: 'boolean', validate: () => false });
  return ajv;
}

const shared: Options = {
  allErrors: true,
  // Specs carry annotations ajv does not know (example, x-…); they are not errors.
  strict: false,
  useDefaults: true,
  removeAdditional: false,
  allowUnionTypes: true,
};

/**
 * ajv with its meta-schema check precompiled (schema-meta-validator.ts): the same check and the
 * same error as ajv's own, without compiling the meta-schema on every start.
 */
class SpecAjv extends Ajv {
  override validateSchema(schema: AnySchema, throwOrLogError?: boolean): boolean {
    const check = precompiledMetaCheck(schema);
    if (!check) return super.validateSchema(schema, throwOrLogError) as boolean;
    const valid = check(schema) as boolean;
    this.errors = valid ? null : (check.errors ?? null);
    if (!valid && throwOrLogError) throw new Error(`schema is invalid: ${this.errorsText()}`);
    return valid;
  }
}

export interface Validators {
  /** For path, query, header and cookie parameters. */
  coercing: Ajv;
  /** For request bodies. */
  exact: Ajv;
}

export function createValidators(): Validators {
  return {
    coercing: addOpenApiFormats(new SpecAjv({ ...shared, coerceTypes: 'array' })),
    exact: addOpenApiFormats(new SpecAjv({ ...shared, coerceTypes: false })),
  };
}

export type { ErrorObject, ValidateFunction };
