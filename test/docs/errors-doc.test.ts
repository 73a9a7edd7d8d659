// docs/errors.md is the list users search: every code the framework can raise is in it.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import * as errors from '../../src/errors.ts';

it('documents every SPECSTACK_ERR code in docs/errors.md', () => {
  const doc = readFileSync(path.resolve(import.meta.dirname, '../../docs/errors.md'), 'utf8');
  const codes = Object.values(errors)
    .filter((value): value is errors.ErrorFactory => typeof value === 'function' && 'code' in value)
    .map((factory) => factory.code);
  expect(codes.length).toBeGreaterThan(20);
  expect(codes.filter((code) => !doc.includes(`\`${code}\``))).toEqual([]);
});
