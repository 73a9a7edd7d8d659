// Prometheus metrics on the movies example, on every dialect: behind a bearer token on the app's
// port, or on a port of their own; requests counted per operation and status, jobs by queue and
// state, process metrics; and no /metrics route at all unless configured.

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
