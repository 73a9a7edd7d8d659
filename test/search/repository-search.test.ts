// Full-text search through a repository, on both dialects, over a realistic catalogue: ranking,
// prefixes, diacritics, articles, typos, filters, paging, and an index that follows every write.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, ListQuery, TableRepository } from '../../src/db/database.ts';
import { describeEachDialect, openWithSchema } from '../support/databases.ts';
import { CATALOGUE, catalogueModel, fillerMovies } from './catalogue.ts';

/** Results per dialect, compared once both have run. */
const parity: Record<string, Record<string, { titles: string[]; top: string[] }>> = {};

const PARITY_QUERIES = [
  'matrix',
  'the matrix',
  'leon',
  'émile',
  'top gu',
  'lord of the rings',
  'ring',
  'godfather part ii',
  'matirx',
  'casablanka',
  'professional',
  'star',
  'of the',
  '2001',
  'toy story 2',
];

describeEachDialect('search through a repository', (ctx) => {
  let db: Database;
  let movies: TableRepository;

  const search = async (q: string, extra: Partial<ListQuery> = {}) =>
    (await movies.list({ filters: {}, sort: [], limit: 50, search: q, ...extra })).rows.map(
      (row) => row.title as string,
    );

  beforeAll(async () => {
    db = await openWithSchema(ctx, catalogueModel);
    movies = db.repository('Movie');
    // A bulk import: one transaction, as the seed does it.
    await db.transaction(async (tx) => {
      const repo = tx.repository('Movie');
      for (const movie of [...CATALOGUE, ...fillerMovies(300)]) await repo.insert({ ...movie });
    });
  });
  afterAll(() => db.close());

  describe('ranking', () => {
    it('ranks an exact title above partial ones: matrix finds The Matrix first', async () => {
      const titles = await search('matrix');
      expect(titles[0]).toBe('The Matrix');
      expect(titles).toEqual(
        expect.arrayContaining(['The Matrix Reloaded', 'The Matrix Revolutions', 'Matrix of Evil']),
      );
      expect(await search('rocky')).toEqual(['Rocky', 'Rocky II', 'Rocky III']);
      expect((await search('alien'))[0]).toBe('Alien');
      expect((await search('godfather part ii'))[0]).toBe('The Godfather: Part II');
    });

    it('ranks a match in the title (weight A) above one in the description', async () => {
      const titles = await search('matrix');
      const inDescription = titles.indexOf('The Thirteenth Floor');
      expect(inDescription).toBe(titles.length - 1);
      expect(titles.indexOf('Matrix of Evil')).toBeLessThan(inDescription);
      const ring = await search('ring');
      expect(ring.indexOf('The Hobbit: An Unexpected Journey')).toBe(ring.length - 1);
    });

    it('finds the three Lord of the Rings films before other lord or ring titles', async () => {
      const titles = await search('lord of the rings');
      expect(titles.slice(0, 3).sort()).toEqual([
        'The Lord of the Rings: The Fellowship of the Ring',
        'The Lord of the Rings: The Return of the King',
        'The Lord of the Rings: The Two Towers',
      ]);
      expect(titles).not.toContain('Lord of War');
    });

    it('orders ties by primary key, so the order is total', async () => {
      const first = await search('drama');
      const second = await search('drama');
      expect(second).toEqual(first);
    });
  });

  describe('what matches', () => {
    it('matches the last word as a prefix: top gu finds Top Gun', async () => {
      expect(await search('top gu')).toEqual(['Top Gun', 'Top Gun: Maverick']);
      expect(await search('termin')).toEqual(['The Terminator', 'Terminator 2: Judgment Day']);
    });

    it('folds case and diacritics both ways', async () => {
      const leon = 'Léon: The Professional (a.k.a. The Professional) (Léon)';
      expect(await search('leon')).toEqual([leon]);
      expect(await search('LÉON')).toEqual([leon]);
      expect(await search('émile')).toEqual(['Émile', 'Emile and the Detectives']);
      expect(await search('emile')).toEqual(['Émile', 'Emile and the Detectives']);
      expect(await search('amelie')).toEqual(["Amélie (Fabuleux destin d'Amélie Poulain, Le)"]);
      expect(await search('miserables')).toEqual(['Les Misérables']);
      expect(await search('asa nisse')).toEqual(['Åsa-Nisse']);
      expect(await search('takkyubin')).toEqual(["Kiki's Delivery Service (Majo no takkyûbin)"]);
    });

    it('ignores leading articles and punctuation', async () => {
      expect((await search('the matrix'))[0]).toBe('The Matrix');
      expect(await search('boot')).toEqual(['Das Boot']);
      expect(await search('das boot')).toEqual(['Das Boot']);
      expect((await search('godfather'))[0]).toBe('The Godfather');
      expect(await search("ocean's eleven")).toEqual(["Ocean's Eleven"]);
      expect(await search('ocean s eleven')).toEqual(["Ocean's Eleven"]);
      expect(await search('wall e')).toEqual(['WALL·E']);
      expect(await search('star wars: episode iv')).toEqual(['Star Wars: Episode IV - A New Hope']);
    });

    it('finds alternative titles, numbers and sequels', async () => {
      expect(await search('fille sur le pont')).toEqual([
        'The Girl on the Bridge (La fille sur le pont)',
      ]);
      expect(await search('golgo')).toEqual(['The Professional (a.k.a. Golgo 13)']);
      expect((await search('professional'))[0]).toBe('The Professional (a.k.a. Golgo 13)');
      expect(await search('seven')).toEqual(['Se7en (a.k.a. Seven)']);
      expect(await search('se7en')).toEqual(['Se7en (a.k.a. Seven)']);
      expect(await search('2001')).toEqual(['2001: A Space Odyssey']);
      expect((await search('toy story 2'))[0]).toBe('Toy Story 2');
      expect((await search('terminator 2'))[0]).toBe('Terminator 2: Judgment Day');
      expect(await search('wo hu cang long')).toEqual([
        'Crouching Tiger, Hidden Dragon (Wo hu cang long)',
      ]);
    });

    it('tolerates one typo in a word of five letters or more when nothing matches exactly', async () => {
      expect((await search('matirx'))[0]).toBe('The Matrix');
      expect(await search('casablanka')).toEqual(['Casablanca']);
      expect(await search('vertgo')).toEqual(['Vertigo']);
      expect(await search('frago')).toEqual(['Fargo']);
      expect((await search('godfahter'))[0]).toBe('The Godfather');
      expect((await search('lord of the rnigs')).slice(0, 3)).toHaveLength(3);
      // Four letters is too short to guess, and two typos are too many.
      expect(await search('rokcy')).toEqual(['Rocky', 'Rocky II', 'Rocky III']);
      expect(await search('alein')).toEqual(['Alien', 'Alien³ (a.k.a. Alien 3)']);
      expect(await search('gnu')).toEqual([]);
      expect(await search('mtairx')).toEqual([]);
    });

    it('uses typo tolerance only when nothing matches exactly', async () => {
      expect(await search('aliens')).toEqual(['Aliens']);
    });
  });

  describe('filters, sort and paging', () => {
    it('combines the search with range and membership conditions', async () => {
      const genre = { column: 'genres', op: 'contains', value: 'Comedy' } as const;
      expect(await search('top', { conditions: [genre] })).toEqual(['Top Secret!', 'Topsy-Turvy']);
      expect(
        await search('top', {
          conditions: [genre, { column: 'release_year', op: 'gte', value: 1990 }],
        }),
      ).toEqual(['Topsy-Turvy']);
      expect(
        await search('matrix', {
          conditions: [
            { column: 'release_year', op: 'lte', value: 2003 },
            { column: 'release_year', op: 'gt', value: 1999 },
          ],
          filters: { release_year: 2003 },
        }),
      ).toEqual(
        ['The Matrix Reloaded', 'The Matrix Revolutions', 'Matrix of Evil', 'The Animatrix'].filter(
          (t) => t !== 'The Animatrix',
        ),
      );
    });

    it('lets an explicit sort replace the ranking', async () => {
      expect(
        await search('godfather', { sort: [{ column: 'release_year', direction: 'desc' }] }),
      ).toEqual(['The Godfather: Part III', 'The Godfather: Part II', 'The Godfather']);
    });

    it('pages through ranked results by cursor and by offset without repeats or gaps', async () => {
      const all = await movies.list({ filters: {}, sort: [], limit: 1000, search: 'the' });
      expect(all.rows.length).toBeGreaterThan(100);
      const seen: unknown[] = [];
      let cursor: string | undefined;
      do {
        const page = await movies.list({
          filters: {},
          sort: [],
          limit: 17,
          search: 'the',
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.rows.map((row) => row.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.rows.map((row) => row.id));
      const byOffset: unknown[] = [];
      for (let offset = 0; offset < all.rows.length; offset += 23) {
        const page = await movies.list({ filters: {}, sort: [], limit: 23, offset, search: 'the' });
        byOffset.push(...page.rows.map((row) => row.id));
      }
      expect(byOffset).toEqual(all.rows.map((row) => row.id));
    });

    it('refuses a cursor made for a plain list', async () => {
      const plain = await movies.list({ filters: {}, sort: [], limit: 2 });
      await expect(
        movies.list({ filters: {}, sort: [], limit: 2, search: 'the', cursor: plain.nextCursor }),
      ).rejects.toMatchObject({ code: 'SPECSTACK_ERR_VALIDATION' });
    });

    it('answers a query with no word in it with no rows', async () => {
      expect(await search('!!! ... ???')).toEqual([]);
      expect(await search('🎬🍿')).toEqual([]);
    });
  });

  describe('the index follows the table', () => {
    it('indexes inserts, updates and deletes', async () => {
      const row = await movies.insert({ title: 'Zyzzyva Quest', release_year: 2020, genres: [] });
      expect(await search('zyzzyva')).toEqual(['Zyzzyva Quest']);
      await movies.update(row.id as number, { title: 'Quokka Journey' });
      expect(await search('zyzzyva')).toEqual([]);
      expect(await search('quokka')).toEqual(['Quokka Journey']);
      await movies.update(row.id as number, { description: 'A zyzzyva appears' });
      expect(await search('zyzzyva')).toEqual(['Quokka Journey']);
      await movies.replace(row.id as number, { title: 'Numbat Road', genres: [] });
      expect(await search('zyzzyva')).toEqual([]);
      expect(await search('quokka')).toEqual([]);
      await movies.remove(row.id as number);
      expect(await search('numbat')).toEqual([]);
    });

    it('indexes a bulk import, and rows written with raw SQL', async () => {
      await db.transaction(async (tx) => {
        const repo = tx.repository('Movie');
        for (let i = 0; i < 250; i += 1)
          await repo.insert({ title: `Wombat Saga ${i}`, genres: [] });
      });
      const sql = "insert into movies (title, genres) values ('Wombat Saga raw', '[]')";
      if (db.client.dialect === 'sqlite') db.client.sqlite.exec(sql);
      else await db.client.pool.query(sql);
      const found = await movies.list({
        filters: {},
        sort: [],
        limit: 1000,
        search: 'wombat saga',
      });
      expect(found.rows).toHaveLength(251);
      const rolledBack = db.transaction(async (tx) => {
        await tx.repository('Movie').insert({ title: 'Platypus Lost', genres: [] });
        throw new Error('abort');
      });
      await expect(rolledBack).rejects.toThrow('abort');
      expect(await search('platypus')).toEqual([]);
    });
  });

  describe('the same answers on both dialects', () => {
    it('records the results of a fixed set of queries', async () => {
      const results: Record<string, { titles: string[]; top: string[] }> = {};
      for (const q of PARITY_QUERIES) {
        const titles = await search(q, { limit: 1000 });
        results[q] = { titles: [...titles].sort(), top: titles.slice(0, 1) };
      }
      parity[ctx.dialect] = results;
      const other = parity[ctx.dialect === 'sqlite' ? 'postgres' : 'sqlite'];
      if (other) {
        for (const q of PARITY_QUERIES) expect({ q, ...results[q] }).toEqual({ q, ...other[q] });
      }
    });
  });
});
