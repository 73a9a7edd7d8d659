// The movies example searched right after `specstack seed` imports a MovieLens-layout file of real
// titles, on both dialects: articles at the end, alternative titles, a.k.a., sequels, numbers.

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { deriveModel } from '../../src/model/derive-model.ts';
import { runSeed } from '../../src/seed/run-seed.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { capturedProgress, csvFolder, MOVIES_APP, migrateMovies } from '../seed/seed-support.ts';
import { describeEachDialect } from '../support/databases.ts';

const spec = await loadSpec(`${MOVIES_APP}/openapi.yaml`);
const model = deriveModel(spec.document, spec.file);

/** Titles exactly as MovieLens writes them. */
const MOVIELENS = [
  'Matrix, The (1999)|Action|Sci-Fi|Thriller',
  'Matrix Reloaded, The (2003)|Action|Adventure|Sci-Fi|Thriller|IMAX',
  'Matrix Revolutions, The (2003)|Action|Adventure|Sci-Fi|Thriller|IMAX',
  'Animatrix, The (2003)|Action|Animation|Drama|Sci-Fi',
  'Léon: The Professional (a.k.a. The Professional) (Léon) (1994)|Action|Crime|Drama|Thriller',
  'Girl on the Bridge, The (Fille sur le pont, La) (1999)|Drama|Romance',
  'City of Lost Children, The (Cité des enfants perdus, La) (1995)|Adventure|Drama|Fantasy|Mystery|Sci-Fi',
  'Lord of the Rings, The (1978)|Adventure|Animation|Children|Fantasy',
  'Lord of the Rings: The Fellowship of the Ring, The (2001)|Adventure|Fantasy',
  'Lord of the Rings: The Two Towers, The (2002)|Adventure|Fantasy',
  'Lord of the Rings: The Return of the King, The (2003)|Action|Adventure|Drama|Fantasy',
  'Lord of War (2005)|Action|Crime|Drama|Thriller|War',
  'Lord of the Flies (1963)|Adventure|Drama|Thriller',
  'Ring, The (2002)|Horror|Mystery|Thriller',
  'Ring Two, The (2005)|Drama|Horror|Mystery|Thriller',
  'Lord of Illusions (1995)|Horror',
  'Fellowship of the Ring (2001)|Drama',
  'Top Gun (1986)|Action|Romance',
  'Top Secret! (1984)|Comedy',
  'Godfather, The (1972)|Crime|Drama',
  'Godfather: Part II, The (1974)|Crime|Drama',
  'Godfather: Part III, The (1990)|Crime|Drama|Mystery|Thriller',
  'Good, the Bad and the Ugly, The (Buono, il brutto, il cattivo, Il) (1966)|Action|Adventure|Western',
  "Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)|Comedy|Romance",
  'Boot, Das (Boat, The) (1981)|Action|Drama|War',
  'Misérables, Les (1995)|Drama|War',
  'Postino, Il (The Postman) (1994)|Comedy|Drama|Romance',
  'Crouching Tiger, Hidden Dragon (Wo hu cang long) (2000)|Action|Drama|Romance',
  'Se7en (a.k.a. Seven) (1995)|Mystery|Thriller',
  '2001: A Space Odyssey (1968)|Adventure|Drama|Sci-Fi',
  'Toy Story (1995)|Adventure|Animation|Children|Comedy|Fantasy',
  'Toy Story 2 (1999)|Adventure|Animation|Children|Comedy|Fantasy',
  'Toy Story 3 (2010)|Adventure|Animation|Children|Comedy|Fantasy|IMAX',
  'Terminator 2: Judgment Day (1991)|Action|Sci-Fi',
  'Star Wars: Episode V - The Empire Strikes Back (1980)|Action|Adventure|Sci-Fi',
];

const csvLine = (line: string, i: number) => {
  const [title, ...genres] = line.split('|');
  return `${i + 1},"${title!.replace(/"/g, '""')}",${genres.join('|')}`;
};

describeEachDialect('movies example searched after a MovieLens seed', (ctx) => {
  let db: Database;
  const titles = async (q: string, limit = 20) =>
    (await db.repository('Movie').list({ filters: {}, sort: [], limit, search: q })).rows.map(
      (row) => row.title as string,
    );

  beforeAll(async () => {
    const url = await ctx.createDatabaseUrl();
    await migrateMovies(url);
    const folder = csvFolder();
    const movies = folder.write('movies.csv', ['movieId,title,genres', ...MOVIELENS.map(csvLine)]);
    const ratings = folder.write('ratings.csv', ['userId,movieId,rating,timestamp']);
    await runSeed({
      appDir: MOVIES_APP,
      env: {},
      overrides: { databaseUrl: url },
      args: { movies, ratings },
      progress: capturedProgress().progress,
    });
    db = await openDatabase({ url, model });
  });
  afterAll(() => db?.close());

  it('finds The Matrix first for matrix and for the matrix', async () => {
    expect((await titles('matrix'))[0]).toBe('The Matrix');
    expect((await titles('the matrix'))[0]).toBe('The Matrix');
    expect((await titles('Matrix, The'))[0]).toBe('The Matrix');
  });

  it('finds the Lord of the Rings films before other lord or ring titles', async () => {
    const found = await titles('lord of the rings');
    expect(found[0]).toBe('The Lord of the Rings');
    expect(found.slice(1, 4).sort()).toEqual([
      'The Lord of the Rings: The Fellowship of the Ring',
      'The Lord of the Rings: The Return of the King',
      'The Lord of the Rings: The Two Towers',
    ]);
    expect(found).toHaveLength(4);
  });

  it('finds a movie by its main title, an alternative title or its a.k.a.', async () => {
    const leon = 'Léon: The Professional (a.k.a. The Professional) (Léon)';
    expect(await titles('leon')).toEqual([leon]);
    expect(await titles('the professional')).toEqual([leon]);
    expect(await titles('girl on the bridge')).toEqual([
      'The Girl on the Bridge (La Fille sur le pont)',
    ]);
    expect(await titles('fille sur le pont')).toEqual([
      'The Girl on the Bridge (La Fille sur le pont)',
    ]);
    expect(await titles('la fille')).toEqual(['The Girl on the Bridge (La Fille sur le pont)']);
    expect(await titles('cite des enfants perdus')).toEqual([
      'The City of Lost Children (La Cité des enfants perdus)',
    ]);
    expect(await titles('boat')).toEqual(['Das Boot (The Boat)']);
    expect(await titles('good the bad and the ugly')).toEqual([
      'The Good, the Bad and the Ugly (Il Buono, il brutto, il cattivo)',
    ]);
    expect(await titles('amélie')).toEqual(["Amelie (Le Fabuleux destin d'Amélie Poulain)"]);
  });

  it('finds sequels and numbers', async () => {
    expect((await titles('godfather part ii'))[0]).toBe('The Godfather: Part II');
    expect(await titles('godfather 2')).toEqual([]);
    expect((await titles('toy story'))[0]).toBe('Toy Story');
    expect(await titles('toy story 3')).toEqual(['Toy Story 3']);
    // Years are searched too (release_year has x-search weight D); a title with the number first.
    expect((await titles('2001'))[0]).toBe('2001: A Space Odyssey');
    expect(await titles('2001')).toContain('The Lord of the Rings: The Fellowship of the Ring');
    expect(await titles('matrix 1999')).toEqual(['The Matrix']);
    expect((await titles('lord of the rings 2002'))[0]).toBe(
      'The Lord of the Rings: The Two Towers',
    );
    expect(await titles('heat 1995')).toEqual([]);
    expect(await titles('empire strikes')).toEqual([
      'Star Wars: Episode V - The Empire Strikes Back',
    ]);
    expect(await titles('terminator 2')).toEqual(['Terminator 2: Judgment Day']);
  });

  it('stores years and genres for the range and membership filters', async () => {
    const { rows } = await db.repository('Movie').list({
      filters: {},
      sort: [],
      limit: 20,
      search: 'lord',
      conditions: [
        { column: 'genres', op: 'contains', value: 'Fantasy' },
        { column: 'release_year', op: 'gte', value: 2002 },
      ],
    });
    expect(rows.map((row) => row.title).sort()).toEqual([
      'The Lord of the Rings: The Return of the King',
      'The Lord of the Rings: The Two Towers',
    ]);
  });
});
