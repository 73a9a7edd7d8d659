// Prometheus metrics on the movies example, on every dialect: behind a bearer token on the app's
// port, or on a port of their own; requests counted per operation and status, statement durations
// per dialect and kind, PostgreSQL's pool, jobs by queue and state, process metrics; and no
// /metrics route at all unless configured.

import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningApp, request, startApp } from '../../support/app-server.ts';
import { describeEachDialect } from '../../support/databases.ts';
import { freePort } from '../../support/free-port.ts';

const MOVIES = path.resolve(import.meta.dirname, '../../../examples/movies');
const TOKEN = 'metrics-scraper-token';

describeEachDialect('metrics', (ctx) => {
  let server: RunningApp;
  let metricsPort: number;

  beforeAll(async () => {
    metricsPort = await freePort();
    server = await startApp(MOVIES, await ctx.createDatabaseUrl(), {
      metricsToken: TOKEN,
      metricsPort,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses /metrics on the app port without the token', async () => {
    expect((await request(server.url, 'GET', '/metrics')).status).toBe(401);
    const wrong = await request(server.url, 'GET', '/metrics', {
      headers: { authorization: 'Bearer not-it' },
    });
    expect(wrong.status).toBe(401);
  });

  it('counts requests per operation and status, with latency, jobs and process metrics', async () => {
    await request(server.url, 'GET', '/api/movies');
    await request(server.url, 'GET', '/api/movies/999999');
    const response = await request(server.url, 'GET', '/metrics', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.text).toMatch(
      /specstack_http_requests_total\{operation="listMovies",method="GET",status="200"\} 1/,
    );
    expect(response.text).toMatch(
      /specstack_http_requests_total\{operation="getMovie",method="GET",status="404"\} 1/,
    );
    expect(response.text).toMatch(
      /specstack_http_request_duration_seconds_bucket\{le="0.1",operation="listMovies"/,
    );
    expect(response.text).toMatch(/specstack_jobs\{queue="[\w-]+",state="waiting"\} \d+/);
    expect(response.text).toMatch(/specstack_db_ping_seconds_count 1/);
    expect(response.text).toMatch(/specstack_process_resident_memory_bytes \d+/);
  });

  const scrape = async () =>
    (
      await request(server.url, 'GET', '/metrics', {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).text;
  /** The value of one series, 0 when absent. */
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };

  it('times the statements per dialect and kind, and shows the pool on PostgreSQL', async () => {
    const before = await scrape();
    const selects = `specstack_db_query_duration_seconds_count{dialect="${ctx.dialect}",statement="select",outcome="ok"}`;
    const inserts = `specstack_db_query_duration_seconds_count{dialect="${ctx.dialect}",statement="insert",outcome="ok"}`;
    await request(server.url, 'GET', '/api/movies?limit=5');
    await request(server.url, 'GET', '/api/movies/1');
    const signUp = await request(server.url, 'POST', '/api/users', {
      json: { email: 'metrics@example.com', name: 'Metrics', password: 'metrics-password-1' },
    });
    expect(signUp.status).toBe(201);
    const after = await scrape();
    expect(value(after, selects) - value(before, selects)).toBeGreaterThanOrEqual(2);
    // The user and the two tasks of their emails.
    expect(value(after, inserts) - value(before, inserts)).toBeGreaterThanOrEqual(3);
    expect(after).toMatch(
      new RegExp(
        `specstack_db_query_duration_seconds_bucket\\{le="0.005",dialect="${ctx.dialect}",statement="select",outcome="ok"\\} \\d+`,
      ),
    );
    if (ctx.dialect === 'postgres') {
      expect(value(after, 'specstack_db_pool_connections')).toBeGreaterThanOrEqual(1);
      expect(value(after, 'specstack_db_pool_max')).toBe(10);
      expect(after).toMatch(/specstack_db_pool_idle \d+/);
      expect(after).toMatch(/specstack_db_pool_waiting \d+/);
    } else {
      expect(after).not.toMatch(/specstack_db_pool/);
    }
    // The sign-up's jobs are counted in their queues, in some state.
    const welcome = after
      .split('\n')
      .filter((line) => line.startsWith('specstack_jobs{queue="welcome-email"'))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    const followUp = value(after, 'specstack_jobs{queue="follow-up-email",state="delayed"}');
    expect(welcome).toBeGreaterThanOrEqual(1);
    expect(followUp).toBeGreaterThanOrEqual(1);
  });

  it('serves /metrics without a token on its own port', async () => {
    const response = await request(`http://127.0.0.1:${metricsPort}`, 'GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/specstack_http_requests_total/);
  });
});

describeEachDialect(
  'metrics when not configured',
  (ctx) => {
    it('has no /metrics route', async () => {
      const server = await startApp(MOVIES, await ctx.createDatabaseUrl());
      try {
        expect((await request(server.url, 'GET', '/metrics')).status).toBe(404);
      } finally {
        await server.close();
      }
    });
  },
  ['sqlite'],
);
