// The movies example's recommendation jobs end to end, on the embedded backend (SQLite,
// PostgreSQL) and on BullMQ: the `recommendations` job fills every list, a burst of ratings causes
// one debounced `refresh-recommendations` job, after which the user's list leaves out what they
// rated and says why; a rating after that refresh asks for another, and a refused rating for none.
// An admin's POST /recommendations/recompute (x-job) runs the full recompute as a task followed to
// completion through GET /tasks/{taskId}.

import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fillDatabase } from '../../examples/movies/evaluation/training-database.ts';
import { hashPassword, type JobRecord } from '../../src/index.ts';
import {
  type BackendName,
  describeWithRedis,
  dropPrefix,
  eventually,
  REDIS_URL,
  uniquePrefix,
} from '../jobs/support/backends.ts';
import { SMALL, SMALL_MOVIES, usersByActivity } from '../movies/recommendations-support.ts';
import { type RunningApp, request, startApp } from '../support/app-server.ts';
import { describeEachDialect } from '../support/databases.ts';

const MOVIES = path.resolve(import.meta.dirname, '../../examples/movies');
// Read by handlers/ratings.ts when it is first imported: long enough for ten ratings to join.
const REFRESH_DELAY_MS = 3000;
process.env.MOVIES_REFRESH_DELAY_MS = String(REFRESH_DELAY_MS);

function suite(backend: BackendName, dialects: { createDatabaseUrl(): Promise<string> }) {
  let server: RunningApp;
  const prefix = uniquePrefix();
  let headers: Record<string, string>;
  let userId: number;

  const refreshJobs = async (): Promise<JobRecord[]> =>
    server.app.jobs.backend.listJobs({ name: 'refresh-recommendations', limit: 100 });
  const finished = async (id: string) => {
    const job = await server.app.jobs.backend.getJob(id);
    return job && (job.state === 'completed' || job.state === 'failed') ? job : undefined;
  };

  beforeAll(async () => {
    server = await startApp(MOVIES, await dialects.createDatabaseUrl(), {
      jobsPrefix: prefix,
      jobsPollInterval: 25,
      ...(backend === 'bullmq' ? { redisUrl: REDIS_URL } : {}),
    });
    await fillDatabase(server.app.db, SMALL.ratings, SMALL_MOVIES);
    const created = await request(server.url, 'POST', '/api/users', {
      json: { email: 'rita@example.com', name: 'Rita', password: 'correct horse battery' },
    });
    expect(created.status).toBe(201);
    userId = created.body.id;
    const login = await request(server.url, 'POST', '/api/login', {
      json: { email: 'rita@example.com', password: 'correct horse battery' },
    });
    headers = { authorization: `Bearer ${login.body.access_token}` };
    const { id } = await server.app.jobs.enqueue('recommendations');
    const job = await eventually(() => finished(id), {
      timeout: 60_000,
      what: 'the recommendations job',
    });
    expect(job).toMatchObject({ state: 'completed', result: { ratings: SMALL.ratings.length } });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    if (backend === 'bullmq') await dropPrefix(REDIS_URL, prefix);
  });

  it('refreshes a user once after a burst of ratings, leaving out what they rated', async () => {
    // The movies the most active user rated: well connected, so they have neighbours.
    const busiest = usersByActivity()[0]!;
    const theirs: number[] = [];
    for (let k = 0; k < SMALL.ratings.length && theirs.length < 10; k += 1) {
      if (SMALL.ratings.users[k] === busiest) theirs.push(SMALL.ratings.movies[k]!);
    }
    const before = await request(server.url, 'GET', '/api/me/recommendations?limit=50', {
      headers,
    });
    expect(before.status).toBe(200);
    expect(before.body.length).toBeGreaterThan(0);

    for (const movieId of theirs) {
      const rated = await request(server.url, 'PUT', `/api/movies/${movieId}/rating`, {
        headers,
        json: { rating: 5 },
      });
      expect(rated.status).toBe(201);
    }
    const queued = await refreshJobs();
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ payload: { userId } });

    const job = await eventually(() => finished(queued[0]!.id), {
      timeout: REFRESH_DELAY_MS + 20_000,
      what: 'the refresh job',
    });
    expect(job).toMatchObject({ state: 'completed', result: { userId } });
    expect(await refreshJobs()).toHaveLength(1);

    const after = await request(server.url, 'GET', '/api/me/recommendations?limit=50', {
      headers,
    });
    expect(after.status).toBe(200);
    expect(after.body.length).toBeGreaterThan(0);
    const listed = after.body.map((item: { movie: { id: number } }) => item.movie.id);
    for (const movieId of theirs) expect(listed).not.toContain(movieId);
    // Now computed from the user's own ratings, not from the cold-start ranking.
    expect(after.body[0].reason).toMatch(/^because you rated .+ 5 stars$/);
    expect(theirs).toContain(after.body[0].because.id);
  });

  it('asks for another refresh after the last one ran, and none for a refused rating', async () => {
    const refused = await request(server.url, 'PUT', '/api/movies/999999/rating', {
      headers,
      json: { rating: 4 },
    });
    expect(refused.status).toBe(404);
    const invalid = await request(server.url, 'PUT', '/api/movies/1/rating', {
      headers,
      json: { rating: 7 },
    });
    expect(invalid.status).toBe(400);
    expect(await refreshJobs()).toHaveLength(1);

    const movieId = [...SMALL_MOVIES.keys()].at(-1)!;
    const rated = await request(server.url, 'PUT', `/api/movies/${movieId}/rating`, {
      headers,
      json: { rating: 3 },
    });
    expect(rated.status).toBe(201);
    // On BullMQ the job is added to Redis once the rating has committed, not before the answer.
    const jobs = await eventually(
      async () => {
        const found = await refreshJobs();
        return found.length >= 2 && found;
      },
      { what: 'a second refresh job' },
    );
    expect(jobs).toHaveLength(2);
    const newest = jobs.find((job) => job.state !== 'completed')!;
    await eventually(() => finished(newest.id), {
      timeout: REFRESH_DELAY_MS + 20_000,
      what: 'the second refresh job',
    });
    const { body } = await request(server.url, 'GET', '/api/me/recommendations?limit=50', {
      headers,
    });
    expect(body.map((item: { movie: { id: number } }) => item.movie.id)).not.toContain(movieId);
  });
  it('offers the full recompute to admins as a task followed to completion', async () => {
    const refused = await request(server.url, 'POST', '/api/recommendations/recompute', {
      headers,
    });
    expect(refused.status).toBe(403);
    await server.app.db.repository('User').insert({
      email: 'root@example.com',
      name: 'Root',
      password: await hashPassword('admin-password-42'),
      role: 'admin',
    });
    const login = await request(server.url, 'POST', '/api/login', {
      json: { email: 'root@example.com', password: 'admin-password-42' },
    });
    const admin = { authorization: `Bearer ${login.body.access_token}` };
    const started = await request(server.url, 'POST', '/api/recommendations/recompute', {
      headers: admin,
    });
    expect(started.status).toBe(202);
    const location = started.headers.get('location')!;
    expect(location).toMatch(/^\/api\/tasks\/[0-9a-f-]{36}$/);
    expect(started.body).toMatchObject({ operation: 'recomputeRecommendations' });
    const task = await eventually(
      async () => {
        const answer = await request(server.url, 'GET', location, { headers: admin });
        expect(answer.status).toBe(200);
        return answer.body.state === 'completed' || answer.body.state === 'failed'
          ? answer.body
          : undefined;
      },
      { timeout: 60_000, what: 'the recompute task' },
    );
    expect(task.state).toBe('completed');
    // Every rating of the data set, and those Rita added above.
    expect(task.result.ratings).toBeGreaterThan(SMALL.ratings.length);
    // The rater is no admin: their token reads no admin task.
    expect((await request(server.url, 'GET', location, { headers })).status).toBe(403);
  }, 90_000);
}

describeEachDialect('movies recommendation jobs [embedded]', (ctx) => suite('embedded', ctx));
describeWithRedis('movies recommendation jobs [bullmq]', () =>
  describeEachDialect('', (ctx) => suite('bullmq', ctx), ['sqlite']),
);
