// Search served over HTTP by the movies example, on both dialects: `q` with the filters, paging by
// the x-next link, the served spec, and hostile query strings that must never cause a 5xx or a write.

import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { type RunningApp, request, startApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';
import { CATALOGUE, fillerMovies } from './catalogue.ts';

const MOVIES = path.resolve(import.meta.dirname, '../../examples/movies');

/** Query strings that try to break out of the search: none may cause a 5xx or write anything. */
export const HOSTILE_QUERIES = [
  '"',
  '""',
  '"unbalanced',
  "'",
  "' OR 1=1 --",
  "'; DROP TABLE movies; --",
  '"; DELETE FROM movies; --',
  'matrix" OR "1"="1',
  'AND',
  'OR',
  'NOT',
  'matrix AND',
  'AND matrix',
  'matrix OR NOT',
  'NEAR(',
  'NEAR(matrix gun, 2)',
  'NEAR/3',
  '*',
  '**',
  'matr*',
  '* matrix',
  'title:matrix',
  ':',
  'title : matrix',
  '{title description}: matrix',
  '-matrix',
  '- - -',
  '^matrix',
  '^',
  '(',
  ')',
  '((matrix)',
  'matrix)',
  '!',
  '!matrix',
  '&',
  '|',
  'matrix & gun | !top',
  "matrix:* & 'gun':A",
  '<->',
  'matrix <-> reloaded',
  '<2>',
  '\\',
  '\\"',
  '%',
  '_',
  '%_%',
  '$1',
  '?',
  '@q',
  ':search_match',
  '\u0000',
  'matrix\u0000',
  '\u0000\u0000\u0000',
  'a'.repeat(10_000),
  // 10 KB of text; encoded, it stays under Node's 16 KB request-line limit (beyond it Node answers 431).
  'matrix '.repeat(1400),
  'xyz '.repeat(2500),
  '🎬',
  '🎬 matrix 🍿',
  '👨‍👩‍👧‍👦',
  'ليون المحترف',
  'שלום עולם',
  '\u202Ematrix\u202C',
  '\u200Bmatrix\u200B',
  '東京物語',
  'Амели',
  'e\u0301mile',
  '\uFEFF',
  '\t\n\r',
  ' ',
  '%00',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'SELECT * FROM movies',
  'rowid = 1',
  'bm25(',
  'ts_rank()',
  'to_tsquery($$)',
  'x'.repeat(61),
  'null',
  'undefined',
  '[]',
  '{}',
];

/** Already percent-encoded: bytes that are not UTF-8, and broken escapes. */
const RAW_QUERIES = ['%ED%A0%80', '%FF%FE', '%E2%82', '%', '%%', '%G0'];

describeEachDialect('search over HTTP (movies example)', (ctx) => {
  let server: RunningApp;
  let db: Database;
  const get = (url: string) => request(server.url, 'GET', url);
  const titles = async (url: string) => {
    const response = await get(url);
    expect(response.status).toBe(200);
    return (response.body as { title: string }[]).map((movie) => movie.title);
  };

  beforeAll(async () => {
    server = await startApp(MOVIES, await ctx.createDatabaseUrl(), {
      jwtSecret: 'search-http-secret-that-is-long-enough-for-hs256',
    });
    db = server.app.db;
    await db.transaction(async (tx) => {
      const movies = tx.repository('Movie');
      for (const movie of [...CATALOGUE, ...fillerMovies(200)]) await movies.insert({ ...movie });
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('searches with q, best match first', async () => {
    expect((await titles('/api/movies?q=matrix'))[0]).toBe('The Matrix');
    expect(await titles('/api/movies?q=top%20gu')).toEqual(['Top Gun', 'Top Gun: Maverick']);
    expect(await titles(`/api/movies?q=${encodeURIComponent('léon')}`)).toHaveLength(1);
  });

  it('treats a blank q as no search', async () => {
    const all = await get('/api/movies?q=%20&limit=5');
    expect(all.status).toBe(200);
    expect(all.body).toHaveLength(5);
  });

  it('combines q with the genre membership and release year range filters', async () => {
    expect(await titles('/api/movies?q=top&genre=Comedy')).toEqual(['Top Secret!', 'Topsy-Turvy']);
    expect(await titles('/api/movies?q=top&genre=Comedy&release_year_gte=1990')).toEqual([
      'Topsy-Turvy',
    ]);
    expect(
      await titles('/api/movies?q=godfather&release_year_gte=1972&release_year_lte=1974'),
    ).toEqual(['The Godfather', 'The Godfather: Part II']);
    expect(await titles('/api/movies?genre=War&release_year_lte=1970&limit=100')).toEqual([
      'Guns of Navarone',
    ]);
    expect(await titles('/api/movies?q=godfather&sort=-release_year')).toEqual([
      'The Godfather: Part III',
      'The Godfather: Part II',
      'The Godfather',
    ]);
  });

  it('refuses a badly typed range with 400 in the spec error shape', async () => {
    const response = await get('/api/movies?q=top&release_year_gte=soon');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ status: 400, code: 'SPECSTACK_ERR_VALIDATION' });
  });

  it('pages through search results by the x-next link without repeats', async () => {
    const ranked = await db
      .repository('Movie')
      .list({ filters: {}, sort: [], limit: 1000, search: 'the' });
    const all = ranked.rows.map((movie) => movie.title);
    expect(all.length).toBeGreaterThan(100);
    const seen: string[] = [];
    let next: string | null = '/api/movies?q=the&limit=9';
    while (next) {
      const response = await get(next);
      expect(response.status).toBe(200);
      seen.push(...(response.body as { title: string }[]).map((movie) => movie.title));
      next = response.headers.get('x-next');
    }
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('documents q and the filters in the served spec', async () => {
    const spec = (await get('/openapi.json')).body;
    const names = spec.paths['/movies'].get.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['q', 'genre', 'release_year_gte', 'release_year_lte']),
    );
    expect(spec.paths['/movies'].get.description).toContain('full-text search');
  });

  it(`answers ${HOSTILE_QUERIES.length + RAW_QUERIES.length} hostile queries with 200 or 400, never a 5xx, and writes nothing`, async () => {
    expect(HOSTILE_QUERIES.length).toBeGreaterThanOrEqual(40);
    const before = await db.repository('Movie').list({ filters: {}, sort: [], limit: 1000 });
    const encoded = [...HOSTILE_QUERIES.map(encodeURIComponent), ...RAW_QUERIES];
    for (const q of encoded) {
      for (const extra of ['', '&genre=Drama&release_year_gte=1990', '&sort=-title&limit=3']) {
        const response = await get(`/api/movies?q=${q}${extra}`);
        if (response.status !== 200) {
          expect({ q: q.slice(0, 80), status: response.status }).toEqual({
            q: q.slice(0, 80),
            status: 400,
          });
          expect(response.body).toMatchObject({ status: 400, code: 'SPECSTACK_ERR_VALIDATION' });
        } else {
          expect(Array.isArray(response.body)).toBe(true);
        }
      }
    }
    const after = await db.repository('Movie').list({ filters: {}, sort: [], limit: 1000 });
    expect(after.rows).toEqual(before.rows);
    expect(server.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  });
});
