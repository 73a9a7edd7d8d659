import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { describeEachDialect, openWithSchema } from '../support/databases.ts';
import { fixtureModel } from './fixture-model.ts';

describeEachDialect('prepared statements', (ctx) => {
  let db: Database;
  let countPrepared: () => Promise<number>;

  beforeEach(async () => {
    db = await openWithSchema(ctx, fixtureModel);
    const client = db.client;
    if (client.dialect === 'sqlite') {
      // Counts real statement compilations on the connection; the implementation is untouched.
      const spy = vi.spyOn(client.sqlite, 'prepare');
      countPrepared = async () => spy.mock.calls.length;
    } else {
      // The pool hands sequential queries the most recently released connection, so this is the
      // session that ran the repository's statements.
      countPrepared = async () => {
        const { rows } = await client.pool.query(
          "select count(*)::int as n from pg_prepared_statements where name like 'specstack_%'",
        );
        return rows[0].n as number;
      };
    }
  });
  afterEach(() => db.close());

  async function exercise(round: number) {
    const pets = db.repository('Pet');
    const pet = await pets.insert({ name: `pet-${round}` });
    const id = pet.id as number;
    await pets.findByKey(id);
    await pets.update(id, { age: round });
    await pets.replace(id, { name: `pet-${round}`, age: round });
    const page = await pets.list({ filters: { kind: 'dog' }, sort: [], limit: 1 });
    await pets.list({ filters: { kind: 'dog' }, sort: [], limit: 1, cursor: page.nextCursor });
    await pets.remove(id);
    await pets.insert({ name: `kept-${round}` });
  }

  it('prepares each statement once and reuses it on every later call', async () => {
    await exercise(0);
    await exercise(1); // the cursor-bearing list shape first appears once rows exist
    const warm = await countPrepared();
    expect(warm).toBeGreaterThanOrEqual(7);
    for (let round = 2; round < 100; round += 1) await exercise(round);
    expect(await countPrepared()).toBe(warm);
  });

  it('prepares one more statement for a new list shape, and none when it repeats', async () => {
    const pets = db.repository('Pet');
    await pets.list({ filters: {}, sort: [], limit: 5 });
    const before = await countPrepared();
    for (let i = 0; i < 20; i += 1) {
      await pets.list({
        filters: { age: i },
        sort: [{ column: 'name', direction: 'desc' }],
        limit: 5,
      });
    }
    expect(await countPrepared()).toBe(before + 1);
  });
});

describeEachDialect('list limits on SQLite', (ctx) => {
  it.runIf(ctx.dialect === 'sqlite')(
    'writes a few limits into their statements, and binds the limits past them',
    async () => {
      const db = await openWithSchema(ctx, fixtureModel);
      try {
        const client = db.client;
        if (client.dialect !== 'sqlite') return;
        // Bound as `LIMIT ?`, SQLite prepares the statement again every time it is run.
        const spy = vi.spyOn(client.sqlite, 'prepare');
        const pets = db.repository('Pet');
        for (let i = 0; i < 40; i += 1) await pets.insert({ name: `pet-${i}` });
        const list = (limit: number) => pets.list({ filters: {}, sort: [], limit });
        for (let round = 0; round < 3; round += 1) {
          expect((await list(5)).rows).toHaveLength(5);
          expect((await list(7)).rows).toHaveLength(7);
        }
        const texts = () =>
          spy.mock.calls.map(([text]) => String(text)).filter((t) => /limit/i.test(t));
        expect(texts()).toHaveLength(2);
        expect(texts().every((text) => /limit 6$|limit 8$/i.test(text.trim()))).toBe(true);
        // A client trying ever new limits: past a few per shape, they share one bound statement.
        for (let limit = 10; limit < 30; limit += 1)
          expect((await list(limit)).rows).toHaveLength(limit);
        const bound = texts().filter((text) => /limit \?$/i.test(text.trim()));
        expect(bound).toHaveLength(1);
        expect(texts().length).toBeLessThanOrEqual(8 + 1);
      } finally {
        db.close();
      }
    },
  );
});
