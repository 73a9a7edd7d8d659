// The contract tester on a spec with relationships, including two table schemas that refer to each
// other: requests are generated from the request views (a related object by its key, finite where
// the schemas form a cycle), and a created row reads back with only the related object's key
// compared (the rest of a related object sent is not written). A writable to-many's list is
// compared as a set of keys.

import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCheck } from '../../src/index.ts';
import { prepareFixtureApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';

const CYCLES = path.resolve(import.meta.dirname, '../fixtures/apps/cycles');
const TO_MANY = path.resolve(import.meta.dirname, '../fixtures/apps/to-many');

describeEachDialect('specstack check on related schemas that refer to each other', (ctx) => {
  let fixture: Awaited<ReturnType<typeof prepareFixtureApp>>;
  beforeAll(async () => {
    fixture = await prepareFixtureApp(CYCLES);
  });
  afterAll(() => fixture?.remove());

  it('passes, stateful sequences included', async () => {
    for (const seed of [1, 7]) {
      const result = await runCheck({
        appDir: fixture.dir,
        seed,
        examples: 25,
        env: {},
        overrides: { databaseUrl: await ctx.createDatabaseUrl() },
      });
      expect(result.failures).toEqual([]);
      expect(result.operations).toHaveLength(9);
      // No stateful create is refused for a related key that names nothing (409); a generated
      // name the database cannot store (a NUL character) may still be refused with 400.
      const skipped = result.operations.flatMap((op) => op.skipped);
      expect(skipped.filter((reason) => !reason.endsWith('create answered 400'))).toEqual([]);
      expect(result.operations.every((op) => op.requests > 0)).toBe(true);
    }
  }, 180_000);
});

describeEachDialect('specstack check on writable to-many relationships', (ctx) => {
  let fixture: Awaited<ReturnType<typeof prepareFixtureApp>>;
  beforeAll(async () => {
    fixture = await prepareFixtureApp(TO_MANY);
  });
  afterAll(() => fixture?.remove());

  it('passes: lists of related keys are generated from the request views and read back as sets', async () => {
    const result = await runCheck({
      appDir: fixture.dir,
      seed: 3,
      examples: 25,
      env: {},
      overrides: { databaseUrl: await ctx.createDatabaseUrl() },
    });
    expect(result.failures).toEqual([]);
    expect(result.operations).toHaveLength(25);
    const skipped = result.operations.flatMap((op) => op.skipped);
    expect(skipped.filter((reason) => !reason.endsWith('create answered 400'))).toEqual([]);
    expect(result.operations.every((op) => op.requests > 0)).toBe(true);
  }, 180_000);
});
