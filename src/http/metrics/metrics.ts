// Prometheus metrics (prom-client): requests per operation and status with a latency histogram,
// the repositories' statement durations, PostgreSQL's pool, job counts by queue and state, process
// metrics. Off by default: when on, one onResponse hook runs per request and one histogram update
// per statement; when off, nothing is registered at all, and prom-client is not loaded.

import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import type { Jobs } from '../../jobs/create-jobs.ts';

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function authorized(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `/metrics` behind a bearer token on the app's port (SPECSTACK_METRICS_TOKEN), or on a port of its
 * own that only the scraper reaches (SPECSTACK_METRICS_PORT), or both; neither set: no metrics.
 */
export async function registerMetrics(
  fastify: FastifyInstance,
  config: Config,
  jobs: Jobs,
  db: Database,
): Promise<void> {
  if (!config.metricsToken && config.metricsPort === undefined) return;
  const { buildRegistry } = await import('./metrics-registry.ts');
  const registry = buildRegistry(fastify, jobs, db);
  const token = config.metricsToken;
  if (token) {
    fastify.get('/metrics', async (request, reply) => {
      if (!authorized(request.headers.authorization, token)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .type('text/plain')
          .send('unauthorized\n');
      }
      return reply.type(CONTENT_TYPE).send(await registry.metrics());
    });
  }
  if (config.metricsPort === undefined) return;
  const server = http.createServer(async (request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPE }).end(await registry.metrics());
  });
  const port = config.metricsPort;
  fastify.addHook('onReady', async () => {
    await new Promise<void>((resolve) => server.listen(port, config.host, resolve));
    fastify.log.info(
      `metrics at http://${config.host}:${(server.address() as { port: number }).port}/metrics`,
    );
  });
  fastify.addHook('onClose', async () => {
    await new Promise((resolve) => server.close(resolve));
  });
}
