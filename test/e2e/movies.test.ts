// The movies example end to end, on every dialect: sign-up, login, rating (an upsert), reading
// ratings, the catalogue for admins, every way a request can fail authentication or authorization,
// and passwords that never leave the server, in answers or in logs.

import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/index.ts';
import { type RunningApp, request, startApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';

const MOVIES = path.resolve(import.meta.dirname, '../../examples/movies');
const SECRET = 'movies-e2e-secret-that-is-long-enough-for-hs256';
const AUDIENCE = 'movies-e2e';

const ann = { email: 'ann@example.com', name: 'Ann', password: 'correct horse battery' };
const bob = { email: 'bob@example.com', name: 'Bob', password: 'tr0ub4dor&3-staple' };
const admin = { email: 'root@example.com', name: 'Root', password: 'admin-password-42' };
const PASSWORDS = [ann.password, bob.password, admin.password, 'a-brand-new-password'];

function expectError(response: { status: number; body: unknown }, status: number) {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({
    status,
    code: expect.stringMatching(/^SPECSTACK_ERR_/),
    message: expect.any(String),
    details: expect.any(Array),
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function sign(
  claims: Record<string, unknown>,
  options: { secret?: string; expires?: number } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now - 60)
    .setExpirationTime(options.expires ?? now + 600)
    .sign(new TextEncoder().encode(options.secret ?? SECRET));
}

function unsigned(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

describeEachDialect('movies example', (ctx) => {
  let server: RunningApp;
  const texts: string[] = [];
  const ids: Record<string, number> = {};
  const tokens: Record<string, string> = {};

  const call = async (method: string, url: string, options?: Parameters<typeof request>[3]) => {
    const response = await request(server.url, method, url, options);
    texts.push(response.text);
    return response;
  };

  const login = async (email: string, password: string) =>
    call('POST', '/api/login', { json: { email, password } });

  beforeAll(async () => {
    server = await startApp(MOVIES, await ctx.createDatabaseUrl(), {
      jwtSecret: SECRET,
      jwtAudience: AUDIENCE,
    });
    // Admins are made by the seed or by another admin, never by sign-up.
    const row = await server.app.db.repository('User').insert({
      ...admin,
      password: await hashPassword(admin.password),
      role: 'admin',
    });
    ids.admin = row.id as number;
    tokens.admin = (await login(admin.email, admin.password)).body.access_token;
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('sign-up and login', () => {
    it('signs up a user with 201, returning neither the password nor its hash', async () => {
      const created = await call('POST', '/api/users', { json: ann });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        email: ann.email,
        name: ann.name,
        role: 'user',
        created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      });
      expect(created.headers.get('location')).toBe(`/api/users/${created.body.id}`);
      expect(created.text).not.toContain('scrypt');
      ids.ann = created.body.id;
      ids.bob = (await call('POST', '/api/users', { json: bob })).body.id;
    });

    it('refuses a second account for the same email, whatever its case, with 409', async () => {
      const again = await call('POST', '/api/users', {
        json: { ...ann, email: 'ANN@example.com' },
      });
      expectError(again, 409);
    });

    it('refuses a role in the sign-up body: nobody makes themselves admin', async () => {
      const sneaky = await call('POST', '/api/users', {
        json: { email: 'eve@example.com', name: 'Eve', password: 'password123', role: 'admin' },
      });
      expectError(sneaky, 400);
    });

    it('tells whether an email is taken, without a token', async () => {
      expect((await call('GET', '/api/users/exists?email=ann@example.com')).body).toEqual({
        exists: true,
      });
      expect((await call('GET', '/api/users/exists?email=zed@example.com')).body).toEqual({
        exists: false,
      });
    });

    it('logs in with email and password, answering a bearer token', async () => {
      const response = await login(ann.email, ann.password);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        token_type: 'bearer',
        expires_in: expect.any(Number),
      });
      expect(response.body.expires_in).toBeGreaterThan(0);
      tokens.ann = response.body.access_token;
      tokens.bob = (await login(bob.email, bob.password)).body.access_token;
    });

    it('refuses a wrong password and an unknown email alike, with 401', async () => {
      const wrong = await login(ann.email, 'not the password');
      expectError(wrong, 401);
      const unknown = await login('nobody@example.com', ann.password);
      expectError(unknown, 401);
      expect(unknown.body.message).toBe(wrong.body.message);
    });

    it('answers /me with the caller', async () => {
      const me = await call('GET', '/api/me', { headers: bearer(tokens.ann!) });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: ids.ann, email: ann.email });
    });
  });

  describe('movies and ratings', () => {
    it('lets an admin add movies one at a time and in bulk', async () => {
      const one = await call('POST', '/api/movies', {
        headers: bearer(tokens.admin!),
        json: { title: 'The Matrix', release_year: 1999, genres: ['Action', 'Sci-Fi'] },
      });
      expect(one.status).toBe(201);
      expect(one.body).toMatchObject({
        id: expect.any(Number),
        title: 'The Matrix',
        genres: ['Action', 'Sci-Fi'],
      });
      ids.matrix = one.body.id;
      const bulk = await call('POST', '/api/movies/bulk', {
        headers: bearer(tokens.admin!),
        json: [
          { title: 'Alien', release_year: 1979, genres: ['Horror', 'Sci-Fi'] },
          { title: 'Aliens', release_year: 1986, genres: ['Action', 'Horror', 'Sci-Fi'] },
          { title: 'Heat', release_year: 1995, genres: ['Action', 'Crime', 'Thriller'] },
        ],
      });
      expect(bulk.status).toBe(201);
      expect(bulk.body.map((m: { title: string }) => m.title)).toEqual(['Alien', 'Aliens', 'Heat']);
    });

    it('adds no movie of a bulk request when one of them is invalid', async () => {
      const count = async () => (await call('GET', '/api/movies?limit=100')).body.length;
      const before = await count();
      const bulk = await call('POST', '/api/movies/bulk', {
        headers: bearer(tokens.admin!),
        json: [
          { title: 'Fine', genres: [] },
          { title: '', genres: [] },
        ],
      });
      expectError(bulk, 400);
      expect(await count()).toBe(before);
    });

    it('lists movies publicly with filters, sort and a cursor link', async () => {
      const page = await call('GET', '/api/movies?sort=-release_year&limit=2');
      expect(page.status).toBe(200);
      expect(page.body.map((m: { title: string }) => m.title)).toEqual(['The Matrix', 'Heat']);
      const next = await call('GET', page.headers.get('x-next')!);
      expect(next.body.map((m: { title: string }) => m.title)).toEqual(['Aliens', 'Alien']);
      const year = await call('GET', '/api/movies?release_year=1986');
      expect(year.body.map((m: { title: string }) => m.title)).toEqual(['Aliens']);
    });

    it("creates the caller's rating with 201, then replaces it with 200: one per user and movie", async () => {
      const url = `/api/movies/${ids.matrix}/rating`;
      const first = await call('PUT', url, { headers: bearer(tokens.ann!), json: { rating: 4.5 } });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ user_id: ids.ann, movie_id: ids.matrix, rating: 4.5 });
      const second = await call('PUT', url, { headers: bearer(tokens.ann!), json: { rating: 3 } });
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({
        id: first.body.id,
        rating: 3,
        created_at: first.body.created_at,
      });
      await call('PUT', url, { headers: bearer(tokens.bob!), json: { rating: 5 } });

      const ratings = await call('GET', `/api/movies/${ids.matrix}/ratings`);
      expect(ratings.status).toBe(200);
      const byUser = ratings.body.map((r: { user_id: number; rating: number }) => [
        r.user_id,
        r.rating,
      ]);
      expect(byUser.sort()).toEqual(
        [
          [ids.ann, 3],
          [ids.bob, 5],
        ].sort(),
      );
    });

    it('keeps one rating when the same user rates the same movie many times at once', async () => {
      const url = `/api/movies/${ids.matrix}/rating`;
      const answers = await Promise.all(
        [1, 1.5, 2, 2.5, 3].map((rating) =>
          call('PUT', url, { headers: bearer(tokens.bob!), json: { rating } }),
        ),
      );
      expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
      const ratings = await call('GET', `/api/movies/${ids.matrix}/ratings`);
      expect(ratings.body.filter((r: { user_id: number }) => r.user_id === ids.bob)).toHaveLength(
        1,
      );
    });

    it('refuses ratings off the half-star scale or out of range with 400, and unknown movies with 404', async () => {
      const url = `/api/movies/${ids.matrix}/rating`;
      for (const rating of [4.3, 0, 5.5, '4']) {
        expectError(
          await call('PUT', url, { headers: bearer(tokens.ann!), json: { rating } }),
          400,
        );
      }
      expectError(
        await call('PUT', '/api/movies/999999/rating', {
          headers: bearer(tokens.ann!),
          json: { rating: 4 },
        }),
        404,
      );
    });
  });

  describe('ratings with their movies (relationships)', () => {
    const matrix = () => ({ id: ids.matrix, title: 'The Matrix', release_year: 1999 });

    it('answers a rating with its movie (id, title, year), the handler writing no join', async () => {
      const rated = await call('PUT', `/api/movies/${ids.matrix}/rating`, {
        headers: bearer(tokens.ann!),
        json: { rating: 3 },
      });
      expect(rated.status).toBe(200);
      expect(rated.body.movie).toEqual(matrix());
    });

    it("lists a movie's ratings each with its movie", async () => {
      const ratings = await call('GET', `/api/movies/${ids.matrix}/ratings`);
      expect(ratings.body.length).toBeGreaterThan(0);
      for (const rating of ratings.body) expect(rating.movie).toEqual(matrix());
    });

    it('shows a movie with its rating summary, computed from its ratings when read', async () => {
      const ratings = (await call('GET', `/api/movies/${ids.matrix}/ratings?limit=100`)).body;
      const values = ratings.map((r: { rating: number }) => r.rating);
      const mean = values.reduce((a: number, b: number) => a + b, 0) / values.length;
      const movie = await call('GET', `/api/movies/${ids.matrix}`);
      expect(movie.body.rating_summary.count).toBe(values.length);
      expect(movie.body.rating_summary.mean).toBeCloseTo(mean, 9);
      const unrated = await call('GET', '/api/movies?title=Aliens');
      expect(unrated.body[0].rating_summary).toEqual({ count: 0, mean: null });
      const page = await call('GET', '/api/movies?limit=100');
      expect(page.body.every((m: { rating_summary?: unknown }) => m.rating_summary)).toBe(true);
    });

    it("lists the caller's ratings at /me/ratings, latest first, each with its movie", async () => {
      const heat = (await call('GET', '/api/movies?title=Heat')).body[0];
      const alien = (await call('GET', '/api/movies?title=Alien')).body[0];
      const headers = bearer(tokens.ann!);
      await call('PUT', `/api/movies/${heat.id}/rating`, { headers, json: { rating: 4 } });
      await call('PUT', `/api/movies/${alien.id}/rating`, { headers, json: { rating: 5 } });
      await call('PUT', `/api/movies/${alien.id}/rating`, {
        headers: bearer(tokens.bob!),
        json: { rating: 1 },
      });

      const mine = await call('GET', '/api/me/ratings', { headers });
      expect(mine.status).toBe(200);
      expect(mine.body.every((r: { user_id: number }) => r.user_id === ids.ann)).toBe(true);
      expect(mine.body.map((r: { movie: unknown; rating: number }) => [r.movie, r.rating])).toEqual(
        [
          [{ id: alien.id, title: 'Alien', release_year: 1979 }, 5],
          [{ id: heat.id, title: 'Heat', release_year: 1995 }, 4],
          [matrix(), 3],
        ],
      );

      const page = await call('GET', '/api/me/ratings?limit=2&sort=rating', { headers });
      expect(page.body.map((r: { rating: number }) => r.rating)).toEqual([3, 4]);
      const next = await call('GET', page.headers.get('x-next')!, { headers });
      expect(next.body.map((r: { rating: number }) => r.rating)).toEqual([5]);

      const bobs = await call('GET', '/api/me/ratings', { headers: bearer(tokens.bob!) });
      expect(bobs.body.map((r: { user_id: number }) => r.user_id)).not.toContain(ids.ann);
      expectError(await call('GET', '/api/me/ratings'), 401);
    });
  });

  describe('authentication', () => {
    const probe = (token?: string) =>
      call('GET', '/api/me', token === undefined ? {} : { headers: bearer(token) });

    it('answers 401 without a token', async () => {
      expectError(await probe(), 401);
    });

    it('answers 401 for an expired token', async () => {
      const expired = await sign(
        { sub: String(ids.ann), aud: AUDIENCE },
        { expires: Math.floor(Date.now() / 1000) - 3600 },
      );
      expectError(await probe(expired), 401);
    });

    it('answers 401 for a token signed with another secret', async () => {
      const forged = await sign(
        { sub: String(ids.ann), aud: AUDIENCE },
        { secret: 'another-secret-that-is-also-long-enough-for-hs256' },
      );
      expectError(await probe(forged), 401);
    });

    it('answers 401 for an unsigned token (alg: none), even one claiming admin', async () => {
      const none = unsigned({
        sub: String(ids.admin),
        scope: 'admin',
        aud: AUDIENCE,
        exp: 4102444800,
      });
      expectError(await probe(none), 401);
      expectError(
        await call('POST', '/api/movies', { headers: bearer(none), json: { title: 'x' } }),
        401,
      );
    });

    it('answers 401 for a token for another audience', async () => {
      expectError(await probe(await sign({ sub: String(ids.ann), aud: 'someone-else' })), 401);
    });

    it('answers 401 for a malformed Authorization header', async () => {
      expectError(await call('GET', '/api/me', { headers: { authorization: 'Basic abc' } }), 401);
      expectError(await probe('not.a.jwt'), 401);
    });
  });

  describe('authorization', () => {
    it('answers 403 to a user without the admin scope on admin operations', async () => {
      const headers = bearer(tokens.ann!);
      expectError(await call('POST', '/api/movies', { headers, json: { title: 'Mine' } }), 403);
      expectError(
        await call('PATCH', `/api/movies/${ids.matrix}`, { headers, json: { title: 'x' } }),
        403,
      );
      expectError(await call('DELETE', `/api/movies/${ids.matrix}`, { headers }), 403);
      expectError(await call('POST', '/api/movies/bulk', { headers, json: [{ title: 'x' }] }), 403);
    });

    it("answers 403 to a user reading, changing or deleting someone else's account", async () => {
      const headers = bearer(tokens.ann!);
      expectError(await call('GET', `/api/users/${ids.bob}`, { headers }), 403);
      expectError(
        await call('PATCH', `/api/users/${ids.bob}`, { headers, json: { name: 'x' } }),
        403,
      );
      expectError(await call('DELETE', `/api/users/${ids.bob}`, { headers }), 403);
      const still = await call('GET', `/api/users/${ids.bob}`, { headers: bearer(tokens.bob!) });
      expect(still.body.name).toBe('Bob');
    });

    it('lets an admin read and change any account', async () => {
      const headers = bearer(tokens.admin!);
      expect((await call('GET', `/api/users/${ids.bob}`, { headers })).body.email).toBe(bob.email);
      const renamed = await call('PATCH', `/api/users/${ids.bob}`, {
        headers,
        json: { name: 'Robert' },
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body.name).toBe('Robert');
    });

    it('lets a user change their own password: the new one logs in, the old one no longer does', async () => {
      const changed = await call('PATCH', `/api/users/${ids.ann}`, {
        headers: bearer(tokens.ann!),
        json: { password: 'a-brand-new-password' },
      });
      expect(changed.status).toBe(200);
      expect(changed.body).not.toHaveProperty('password');
      expectError(await login(ann.email, ann.password), 401);
      expect((await login(ann.email, 'a-brand-new-password')).status).toBe(200);
    });

    it('lets a user delete their own account, and their ratings with it', async () => {
      const deleted = await call('DELETE', `/api/users/${ids.bob}`, {
        headers: bearer(tokens.bob!),
      });
      expect(deleted.status).toBe(204);
      const ratings = await call('GET', `/api/movies/${ids.matrix}/ratings`);
      expect(ratings.body.map((r: { user_id: number }) => r.user_id)).toEqual([ids.ann]);
      expectError(await call('GET', '/api/me', { headers: bearer(tokens.bob!) }), 404);
    });
  });

  describe('secrets', () => {
    it('never sends a password or a password hash in any answer', () => {
      expect(texts.length).toBeGreaterThan(30);
      for (const text of texts) {
        for (const password of PASSWORDS) expect(text).not.toContain(password);
        expect(text).not.toContain('$scrypt$');
        expect(text).not.toMatch(/"password"/);
      }
    });

    it('never writes a password, a hash or a bearer token to the logs', () => {
      const logs = server.logs.map((line) => JSON.stringify(line));
      expect(logs.some((line) => line.includes('/api/login'))).toBe(true);
      for (const line of logs) {
        for (const password of PASSWORDS) expect(line).not.toContain(password);
        expect(line).not.toContain('$scrypt$');
        expect(line).not.toContain(tokens.ann!);
      }
    });
  });
});
