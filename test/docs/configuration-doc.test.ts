// docs/configuration.md is where users look a setting up: every variable src/config.ts reads is in it.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

it('documents every environment variable src/config.ts reads in docs/configuration.md', () => {
  const source = readFileSync(path.join(ROOT, 'src/config.ts'), 'utf8');
  const doc = readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8');
  const variables = [
    ...new Set([...source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!)),
  ];
  expect(variables.length).toBeGreaterThan(20);
  expect(variables.filter((name) => !doc.includes(`| \`${name}\` |`))).toEqual([]);
});
