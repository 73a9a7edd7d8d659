import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database, TableRepository } from '../../src/db/database.ts';
import { describeEachDialect, openWithSchema } from '../support/databases.ts';
import { fixtureModel } from './fixture-model.ts';

const fullPet = {
  name: 'Rex',
  kind: 'cat',
  age: 3,
  population: 9_007_199_254_740_000,
  weight: 4.5,
  height: 0.123456789,
  vaccinated: true,
  born: '2020-02-29',
  seenAt: '2024-05-06T07:08:09.123Z',
  tag: '0b4d2c8e-5f7a-4c3b-9d1e-2a6f8b0c4e91',
  photo: Buffer.from([0, 1, 2, 250, 255]).toString('base64'),
  meta: { toys: ['ball'], nested: { n: 1, ok: true } },
  nicknames: ['r', 'rexy'],
  createdAt: '2024-01-01T00:00:00.000Z',
};

describeEachDialect('table repository', (ctx) => {
  let db: Database;
  let pets: TableRepository;
  let owners: TableRepository;

  beforeEach(async () => {
    db = await openWithSchema(ctx, fixtureModel);
    pets = db.repository('Pet');
    owners = db.repository('Owner');
  });
  afterEach(() => db.close());

  describe('insert and findByKey', () => {
    it('round-trips every column type in its API form', async () => {
      const owner = await owners.insert({ email: 'a@example.com' });
      const inserted = await pets.insert({ ...fullPet, ownerId: owner.id });
      expect(inserted).toEqual({ ...fullPet, id: 1, ownerId: owner.id });
      expect(await pets.findByKey(1)).toEqual(inserted);
    });

    it('normalizes timestamps with an offset to UTC ISO strings', async () => {
      const pet = await pets.insert({ name: 'a', seenAt: '2024-05-06T09:08:09+02:00' });
      expect(pet.seenAt).toBe('2024-05-06T07:08:09.000Z');
    });

    it('fills absent columns with the spec default, else null', async () => {
      const pet = await pets.insert({ name: 'Min' });
      expect(pet).toMatchObject({
        kind: 'dog',
        vaccinated: false,
        meta: { toys: [] },
        age: null,
        born: null,
        photo: null,
        ownerId: null,
      });
    });

    it('keeps explicit nulls as SQL NULL, not as JSON null or false', async () => {
      const pet = await pets.insert({ name: 'N', vaccinated: null, meta: null, nicknames: null });
      expect(pet).toMatchObject({ vaccinated: null, meta: null, nicknames: null });
      const [found] = (await pets.list({ filters: { meta: null }, sort: [], limit: 10 })).rows;
      expect(found?.id).toBe(pet.id);
    });

    it('generates integer keys and accepts an explicit one', async () => {
      expect((await pets.insert({ name: 'a' })).id).toBe(1);
      expect((await pets.insert({ name: 'b', id: 50 })).id).toBe(50);
    });

    it('generates a UUID key when none is given', async () => {
      const tag = await db.repository('Tag').insert({ label: 'x' });
      expect(tag.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('accepts a string key for an integer primary key and finds nothing for a missing one', async () => {
      await pets.insert({ name: 'a' });
      expect((await pets.findByKey('1'))?.name).toBe('a');
      expect(await pets.findByKey(999)).toBeUndefined();
    });

    it('rejects a malformed value with VALIDATION naming the field', async () => {
      await expect(pets.insert({ name: 'a', born: 'yesterday' })).rejects.toMatchObject({
        code: 'SPECSTACK_ERR_VALIDATION',
        pointer: 'body.born',
      });
    });
  });

  describe('constraint violations', () => {
    it('maps a duplicate unique value to UNIQUE_VIOLATION with the column', async () => {
      await owners.insert({ email: 'a@example.com' });
      await expect(owners.insert({ email: 'a@example.com' })).rejects.toMatchObject({
        code: 'SPECSTACK_ERR_UNIQUE_VIOLATION',
        statusCode: 409,
        details: { columns: ['email'] },
      });
    });

    it('maps a composite unique violation to UNIQUE_VIOLATION with both columns', async () => {
      const owner = await owners.insert({ email: 'a@example.com' });
      await pets.insert({ name: 'a', ownerId: owner.id });
      await expect(pets.insert({ name: 'a', ownerId: owner.id })).rejects.toMatchObject({
        code: 'SPECSTACK_ERR_UNIQUE_VIOLATION',
        details: { columns: ['name', 'ownerId'] },
      });
    });

    it('maps a duplicate primary key to UNIQUE_VIOLATION', async () => {
      await pets.insert({ id: 7, name: 'a' });
      await expect(pets.insert({ id: 7, name: 'b' })).rejects.toMatchObject({
        code: 'SPECSTACK_ERR_UNIQUE_VIOLATION',
        details: { columns: ['id'] },
      });
    });

    it('maps a reference to a missing row to FOREIGN_KEY_VIOLATION', async () => {
      await expect(pets.insert({ name: 'a', ownerId: 42 })).rejects.toMatchObject({
        code: 'SPECSTACK_ERR_FOREIGN_KEY_VIOLATION',
        statusCode: 409,
      });
    });

    it('maps a missing required value to NOT_NULL_VIOLATION with the column', async () => {
      await expect(pets.insert({ kind: 'dog' })).rejects.toMatchObject({
        code: 'SPECSTACK_ERR_NOT_NULL_VIOLATION',
        statusCode: 400,
        details: { columns: ['name'] },
      });
    });

    it('cascades a delete to referencing rows as x-foreign-key-kwargs says', async () => {
      const owner = await owners.insert({ email: 'a@example.com' });
      const pet = await pets.insert({ name: 'a', ownerId: owner.id });
      await owners.remove(owner.id as number);
      expect(await pets.findByKey(pet.id as number)).toBeUndefined();
    });
  });

  describe('replace, update and remove', () => {
    it('replace resets absent writable columns to their default or null, keeping server-set ones', async () => {
      const pet = await pets.insert(fullPet);
      const replaced = await pets.replace(pet.id as number, { name: 'New' });
      expect(replaced).toMatchObject({
        id: pet.id,
        name: 'New',
        kind: 'dog',
        vaccinated: false,
        age: null,
        meta: { toys: [] },
        createdAt: fullPet.createdAt,
      });
    });

    it('update changes only the given columns', async () => {
      const pet = await pets.insert(fullPet);
      const updated = await pets.update(pet.id as number, { age: 4, meta: { a: 1 } });
      expect(updated).toEqual({ ...pet, age: 4, meta: { a: 1 } });
    });

    it('update can set a column to null', async () => {
      const pet = await pets.insert(fullPet);
      expect((await pets.update(pet.id as number, { age: null }))?.age).toBeNull();
    });

    it('replace, update and remove return undefined for a missing row', async () => {
      expect(await pets.replace(5, { name: 'x' })).toBeUndefined();
      expect(await pets.update(5, { name: 'x' })).toBeUndefined();
      expect(await pets.remove(5)).toBeUndefined();
    });

    it('remove returns the deleted row and the row is gone', async () => {
      const pet = await pets.insert({ name: 'a' });
      expect(await pets.remove(pet.id as number)).toEqual(pet);
      expect(await pets.findByKey(pet.id as number)).toBeUndefined();
    });

    it('update with an empty patch returns the row unchanged', async () => {
      const pet = await pets.insert({ name: 'a' });
      expect(await pets.update(pet.id as number, {})).toEqual(pet);
    });
  });

  describe('list', () => {
    async function seed() {
      const rows = [
        { name: 'a', kind: 'dog', age: 5, vaccinated: true },
        { name: 'b', kind: 'cat', age: null, vaccinated: false },
        { name: 'c', kind: 'dog', age: 2, vaccinated: false },
        { name: 'd', kind: 'cat', age: 5, vaccinated: true },
        { name: 'e', kind: 'dog', age: null, vaccinated: true },
      ];
      for (const row of rows) await pets.insert(row);
    }
    const names = (rows: Record<string, unknown>[]) => rows.map((r) => r.name);

    it('filters by equality, including booleans and null', async () => {
      await seed();
      const dogs = await pets.list({
        filters: { kind: 'dog', vaccinated: true },
        sort: [],
        limit: 10,
      });
      expect(names(dogs.rows)).toEqual(['a', 'e']);
      const noAge = await pets.list({ filters: { age: null }, sort: [], limit: 10 });
      expect(names(noAge.rows)).toEqual(['b', 'e']);
    });

    it('sorts by several terms with nulls first ascending and the key as tie-breaker', async () => {
      await seed();
      const asc = await pets.list({
        filters: {},
        sort: [{ column: 'age', direction: 'asc' }],
        limit: 10,
      });
      expect(names(asc.rows)).toEqual(['b', 'e', 'c', 'a', 'd']);
      const desc = await pets.list({
        filters: {},
        sort: [
          { column: 'age', direction: 'desc' },
          { column: 'name', direction: 'desc' },
        ],
        limit: 10,
      });
      expect(names(desc.rows)).toEqual(['d', 'a', 'c', 'e', 'b']);
    });

    it('pages with limit and offset', async () => {
      await seed();
      const page = await pets.list({ filters: {}, sort: [], limit: 2, offset: 2 });
      expect(names(page.rows)).toEqual(['c', 'd']);
      expect(page.nextCursor).toBeDefined();
      const last = await pets.list({ filters: {}, sort: [], limit: 2, offset: 4 });
      expect(names(last.rows)).toEqual(['e']);
      expect(last.nextCursor).toBeUndefined();
    });

    it('walks every row exactly once with cursors, across nulls and mixed directions', async () => {
      await seed();
      for (const sort of [
        [{ column: 'age', direction: 'asc' as const }],
        [{ column: 'age', direction: 'desc' as const }],
        [
          { column: 'vaccinated', direction: 'desc' as const },
          { column: 'age', direction: 'asc' as const },
        ],
      ]) {
        const all = names((await pets.list({ filters: {}, sort, limit: 10 })).rows);
        const walked: unknown[] = [];
        let cursor: string | undefined;
        do {
          const page = await pets.list({ filters: {}, sort, limit: 2, cursor });
          walked.push(...names(page.rows));
          cursor = page.nextCursor;
        } while (cursor);
        expect(walked).toEqual(all);
      }
    });

    it('rejects a tampered cursor or one from another sort with VALIDATION at query.cursor', async () => {
      await seed();
      const page = await pets.list({ filters: {}, sort: [], limit: 2 });
      for (const cursor of ['not a cursor', 'eyJ4IjoxfQ', page.nextCursor!.slice(0, -3)]) {
        await expect(pets.list({ filters: {}, sort: [], limit: 2, cursor })).rejects.toMatchObject({
          code: 'SPECSTACK_ERR_VALIDATION',
          pointer: 'query.cursor',
        });
      }
      await expect(
        pets.list({
          filters: {},
          sort: [{ column: 'name', direction: 'desc' }],
          limit: 2,
          cursor: page.nextCursor,
        }),
      ).rejects.toMatchObject({ code: 'SPECSTACK_ERR_VALIDATION', pointer: 'query.cursor' });
    });

    it('rejects an unknown filter or sort property with VALIDATION', async () => {
      await expect(pets.list({ filters: { nope: 1 }, sort: [], limit: 1 })).rejects.toMatchObject({
        pointer: 'query.nope',
      });
      await expect(
        pets.list({ filters: {}, sort: [{ column: 'nope', direction: 'asc' }], limit: 1 }),
      ).rejects.toMatchObject({ pointer: 'query.sort' });
    });
  });
});
