// Every schema the server compiles is checked against JSON Schema 2020-12's meta-schema first: a
// schema that means nothing is refused when the server starts, with ajv's own message. (The
// package's precompiled check is exercised in test/package/package.test.ts.)

import { describe, expect, it } from 'vitest';
import { createValidators } from '../../src/http/validator.ts';

describe("the server's schema check", () => {
  it('refuses a schema the meta-schema refuses, naming the keyword', () => {
    const { exact, coercing } = createValidators();
    expect(() => exact.compile({ properties: { n: { maxLength: -1 } } })).toThrow(
      'schema is invalid: data/properties/n/maxLength must be >= 0',
    );
    expect(() => coercing.compile({ minimum: 'x' })).toThrow(
      'schema is invalid: data/minimum must be number',
    );
  });

  it('compiles the 2020-12 keywords and the annotations specs carry', () => {
    const { exact } = createValidators();
    const validate = exact.compile({
      type: 'object',
      properties: { pair: { prefixItems: [{ type: 'integer' }] } },
      unevaluatedProperties: false,
      example: { pair: [1] },
      'x-tablename': 'pairs',
    });
    expect(validate({ pair: [1] })).toBe(true);
    expect(validate({ pair: ['a'] })).toBe(false);
    expect(validate({ other: 1 })).toBe(false);
  });
});
