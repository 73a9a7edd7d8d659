// The movies example's recommendation operations over HTTP, on every dialect: a user's list for
// themselves or an admin (401 and 403 otherwise), limits, lists computed on the fly before the job
// ran, rated movies left out, and a movie's public neighbours.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillDatabase } from '../../examples/movies/evaluation/training-database.ts';
import { recomputeAll } from '../../examples/movies/lib/recommendations/index.ts';
import { hashPassword } from '../../src/index.ts';
import { SMALL, SMALL_MOVIES, usersByActivity } from '../movies/recommendations-support.ts';
import { MOVIES_APP } from '../seed/seed-support.ts';
import { type RunningApp, request, startApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';

const SECRET = 'movies-recs-e2e-secret-that-is-long-enough';
const ann = { email: 'ann@example.com', name: 'Ann', password: 'correct horse battery' };
const admin = { email: 'root@example.com', name: 'Root', password: 'admin-password-42' };

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describeEachDialect('movies recommendations over HTTP', (ctx) => {
  let server: RunningApp;
  const tokens: Record<string, string> = {};
  let annId: number;
  let heavyUser: number;

  const call = (method: string, url: string, options?: Parameters<typeof request>[3]) =>
    request(server.url, method, url, options);
  const login = async (email: string, password: string) =>
    (await call('POST', '/api/login', { json: { email, password } })).body.access_token as string;

  beforeAll(async () => {
    server = await startApp(MOVIES_APP, await ctx.createDatabaseUrl(), { jwtSecret: SECRET });
    const db = server.app.db;
    await fillDatabase(db, SMALL.ratings, SMALL_MOVIES);
    heavyUser = usersByActivity()[0]!;
    await db.repository('User').insert({
      ...admin,
      password: await hashPassword(admin.password),
      role: 'admin',
    });
    tokens.admin = await login(admin.email, admin.password);
    const created = await call('POST', '/api/users', { json: ann });
    expect(created.status).toBe(201);
    annId = created.body.id;
    tokens.ann = await login(ann.email, ann.password);
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('before the first recompute', () => {
    it('answers a new user a non-empty list computed on the fly', async () => {
      const response = await call('GET', '/api/me/recommendations', {
        headers: bearer(tokens.ann!),
      });
      expect(response.status).toBe(200);
      expect(response.body).toHaveLength(10);
      expect(response.body[0]).toEqual({
        movie: {
          id: expect.any(Number),
          title: expect.any(String),
          release_year: null,
          genres: expect.any(Array),
        },
        score: expect.any(Number),
        reason: expect.stringMatching(/^well rated by/),
        because: null,
      });
    });
  });

  describe('after the recompute', () => {
    beforeAll(async () => {
      await recomputeAll(server.app.db);
    });

    it('answers a user their own list, each movie with its score and why', async () => {
      const me = await call('GET', `/api/users/${annId}/recommendations?limit=5`, {
        headers: bearer(tokens.ann!),
      });
      expect(me.status).toBe(200);
      expect(me.body).toHaveLength(5);
    });

    it('lets an admin read anyone, with a reason naming a movie they rated', async () => {
      const response = await call('GET', `/api/users/${heavyUser}/recommendations?limit=50`, {
        headers: bearer(tokens.admin!),
      });
      expect(response.status).toBe(200);
      expect(response.body).toHaveLength(50);
      const first = response.body[0];
      expect(first.reason).toBe(
        `because you rated ${first.because.title} ${first.because.rating} stars`,
      );
    });

    it("refuses another user's list with 403 and an anonymous caller with 401", async () => {
      const other = await call('GET', `/api/users/${heavyUser}/recommendations`, {
        headers: bearer(tokens.ann!),
      });
      expect(other.status).toBe(403);
      expect(other.body.code).toMatch(/^SPECSTACK_ERR_/);
      expect((await call('GET', '/api/me/recommendations')).status).toBe(401);
      expect((await call('GET', `/api/users/${annId}/recommendations`)).status).toBe(401);
    });

    it('answers 404 for an unknown user and 400 for a limit out of range', async () => {
      const unknown = await call('GET', '/api/users/999999/recommendations', {
        headers: bearer(tokens.admin!),
      });
      expect(unknown.status).toBe(404);
      for (const limit of [0, 51, 'x']) {
        const bad = await call('GET', `/api/me/recommendations?limit=${limit}`, {
          headers: bearer(tokens.ann!),
        });
        expect(bad.status).toBe(400);
      }
    });

    it('never lists a movie the user rated, even before their list is refreshed', async () => {
      const before = await call('GET', '/api/me/recommendations?limit=5', {
        headers: bearer(tokens.ann!),
      });
      const movieId = before.body[0].movie.id;
      const rated = await call('PUT', `/api/movies/${movieId}/rating`, {
        headers: bearer(tokens.ann!),
        json: { rating: 4.5 },
      });
      expect(rated.status).toBe(201);
      const after = await call('GET', '/api/me/recommendations?limit=5', {
        headers: bearer(tokens.ann!),
      });
      expect(after.body.map((item: { movie: { id: number } }) => item.movie.id)).not.toContain(
        movieId,
      );
    });

    it("serves a movie's neighbours publicly, without the movie itself", async () => {
      const movieId = Number(SMALL.ratings.movies[0]);
      const similar = await call('GET', `/api/movies/${movieId}/similar?limit=3`);
      expect(similar.status).toBe(200);
      expect(similar.body).toHaveLength(3);
      for (const item of similar.body) {
        expect(item.movie.id).not.toBe(movieId);
        expect(item.score).toBeGreaterThan(0);
        expect(item.score).toBeLessThanOrEqual(1.000001);
      }
    });

    it('answers 404 for an unknown movie, and an empty list for a movie nobody rated', async () => {
      expect((await call('GET', '/api/movies/999999/similar')).status).toBe(404);
      const created = await call('POST', '/api/movies', {
        headers: bearer(tokens.admin!),
        json: { title: 'Unseen', genres: [] },
      });
      const unseen = await call('GET', `/api/movies/${created.body.id}/similar`);
      expect(unseen.status).toBe(200);
      expect(unseen.body).toEqual([]);
    });
  });
});
