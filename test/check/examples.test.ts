// The shipped examples keep their contracts: petstore with no credentials (on each dialect), movies
// logged in as the seed's admin (so admin operations, sign-up, ratings and deletes are exercised,
// and scopes are checked with a lesser token).

import path from 'node:path';
import { expect, it } from 'vitest';
import { runCheck } from '../../src/index.ts';
import { describeEachDialect } from '../support/databases.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../examples');

describeEachDialect('specstack check on the petstore', (ctx) => {
  it('passes, stateful sequence included', async () => {
    const result = await runCheck({
      appDir: path.join(EXAMPLES, 'petstore'),
      seed: 7,
      examples: 10,
      env: {},
      overrides: { databaseUrl: await ctx.createDatabaseUrl() },
    });
    expect(result.failures).toEqual([]);
    expect(result.operations.map((op) => op.operation).sort()).toEqual([
      'createPets',
      'deletePet',
      'listPets',
      'showPetById',
    ]);
    expect(result.operations.every((op) => op.requests > 0 && op.skipped.length === 0)).toBe(true);
  }, 120_000);
});

it('passes on movies with the admin login, and checks scopes with a lesser token', async () => {
  const result = await runCheck({
    appDir: path.join(EXAMPLES, 'movies'),
    seedData: true,
    login: 'POST /api/login {"email":"admin@specstack.dev","password":"specstack-admin"}',
    seed: 7,
    examples: 5,
    env: {},
  });
  expect(result.failures).toEqual([]);
  expect(result.notes).toEqual([]);
  expect(result.operations.flatMap((op) => op.skipped)).toEqual([]);
}, 240_000);
